using System.Net;
using System.Net.Sockets;

namespace Beacon.Domain.Alerts;

/// <summary>
/// Where a webhook may be sent (SPEC §18): an absolute <c>https</c> URL whose host is not a private,
/// loopback, link-local, shared, metadata or unspecified address — checked for a literal address when the
/// endpoint is created and for every resolved address before each delivery, so a name that resolves (or
/// later re-resolves) inside the vendor's network is never reached. <c>http</c> to a loopback host is
/// allowed only when the deployment allows insecure webhooks (development and tests).
/// </summary>
public static class WebhookAddress
{
    public const int MaxUrlLength = 2048;

    /// <summary>Why <paramref name="text"/> cannot be a webhook URL, or null.</summary>
    public static string? Problem(string? text, bool allowInsecure, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxUrlLength || !Uri.TryCreate(text, UriKind.Absolute, out var u))
            return $"must be an absolute https URL of at most {MaxUrlLength} characters.";
        if (u.UserInfo.Length > 0) return "must not carry a user name or password.";
        if (u.Scheme == Uri.UriSchemeHttp)
        {
            if (!allowInsecure) return "must use https.";
            if (!IsLoopbackHost(u)) return "may use http only for a loopback host (and only where insecure webhooks are allowed).";
        }
        else if (u.Scheme != Uri.UriSchemeHttps) return "must use https.";
        if (IPAddress.TryParse(u.DnsSafeHost, out var address) && Forbidden(address, allowInsecure) is { } why)
            return $"points at {why} address, which webhooks may not reach.";
        uri = u;
        return null;
    }

    /// <summary>What kind of forbidden address <paramref name="address"/> is ("a private"), or null when a webhook may reach it.</summary>
    public static string? Forbidden(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return allowLoopback ? null : "a loopback";
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast)) return "an unspecified";
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            if (b[0] == 169 && b[1] == 254) return "a link-local or metadata";
            if (b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] < 32) || (b[0] == 192 && b[1] == 168)) return "a private";
            if (b[0] == 100 && b[1] >= 64 && b[1] < 128) return "a shared (carrier-grade NAT)";
            if (b[0] == 0 || b[0] >= 224) return "a reserved or multicast";
            return null;
        }
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast) return "a link-local";
        var v6 = address.GetAddressBytes();
        if ((v6[0] & 0xfe) == 0xfc) return "a private";
        if (v6[0] == 0xfd && v6[1] == 0x00 && v6[2] == 0x0e && v6[3] == 0xc2) return "a metadata"; // fd00:ec2::254
        return null;
    }

    private static bool IsLoopbackHost(Uri u) =>
        u.IsLoopback || (IPAddress.TryParse(u.DnsSafeHost, out var a) && IPAddress.IsLoopback(a));
}
