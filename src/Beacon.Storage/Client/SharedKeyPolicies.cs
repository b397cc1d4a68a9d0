using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Beacon.Storage.Client;

/// <summary>
/// Signs requests with the account key, for Azurite (whose Table service has no OAuth) and for
/// accounts that still allow shared keys. Runs once per attempt, because the date header changes.
/// The Table service gets SharedKeyLite (date + resource); the Blob service gets SharedKey, which
/// signs the standard headers, every <c>x-ms-</c> header and the sorted query parameters.
/// </summary>
internal abstract class SharedKeyPolicy(string account, byte[] key) : HttpPipelineSynchronousPolicy
{
    protected string Account { get; } = account;

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue("x-ms-date", DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture));
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(StringToSign(request))));
        request.Headers.SetValue("Authorization", $"{Scheme} {Account}:{signature}");
    }

    protected abstract string Scheme { get; }

    protected abstract string StringToSign(Request request);

    protected static string Header(Request request, string name) => request.Headers.TryGetValue(name, out var v) ? v ?? "" : "";
}

internal sealed class TableSharedKeyLitePolicy(string account, byte[] key) : SharedKeyPolicy(account, key)
{
    protected override string Scheme => "SharedKeyLite";

    protected override string StringToSign(Request request)
    {
        var uri = request.Uri.ToUri();
        var resource = $"/{Account}{uri.AbsolutePath}";
        var comp = QueryParameters(uri).FirstOrDefault(p => p.Key == "comp");
        if (comp.Key is not null) resource += "?comp=" + comp.Value;
        return Header(request, "x-ms-date") + "\n" + resource;
    }

    internal static IEnumerable<KeyValuePair<string, string>> QueryParameters(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p =>
        {
            var kv = p.Split('=', 2);
            return new KeyValuePair<string, string>(
                Uri.UnescapeDataString(kv[0]).ToLowerInvariant(),
                kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "");
        });
}

internal sealed class BlobSharedKeyPolicy(string account, byte[] key) : SharedKeyPolicy(account, key)
{
    protected override string Scheme => "SharedKey";

    protected override string StringToSign(Request request)
    {
        long length = 0;
        if (request.Content is not null && !request.Content.TryComputeLength(out length)) length = -1;
        var sb = new StringBuilder();
        sb.Append(request.Method.Method.ToUpperInvariant()).Append('\n');
        sb.Append(Header(request, "Content-Encoding")).Append('\n');
        sb.Append(Header(request, "Content-Language")).Append('\n');
        sb.Append(length > 0 ? length.ToString(CultureInfo.InvariantCulture) : "").Append('\n');
        sb.Append(Header(request, "Content-MD5")).Append('\n');
        sb.Append(Header(request, "Content-Type")).Append('\n');
        sb.Append('\n'); // Date: x-ms-date is used instead
        sb.Append(Header(request, "If-Modified-Since")).Append('\n');
        sb.Append(Header(request, "If-Match")).Append('\n');
        sb.Append(Header(request, "If-None-Match")).Append('\n');
        sb.Append(Header(request, "If-Unmodified-Since")).Append('\n');
        sb.Append(Header(request, "Range")).Append('\n');
        foreach (var h in request.Headers
                     .Where(h => h.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Name.ToLowerInvariant(), Value: h.Value.Trim()))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
            sb.Append(h.Name).Append(':').Append(h.Value).Append('\n');

        var uri = request.Uri.ToUri();
        sb.Append('/').Append(Account).Append(uri.AbsolutePath);
        foreach (var group in TableSharedKeyLitePolicy.QueryParameters(uri)
                     .GroupBy(p => p.Key)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
            sb.Append('\n').Append(group.Key).Append(':').Append(string.Join(',', group.Select(p => p.Value).Order(StringComparer.Ordinal)));
        return sb.ToString();
    }
}
