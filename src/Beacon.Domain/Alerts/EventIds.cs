using System.Security.Cryptography;
using System.Text;

namespace Beacon.Domain.Alerts;

/// <summary>
/// Stable event ids (SPEC §18): derived from what happened — the type and the facts that identify the
/// occurrence (a license and its expiry, a deployment and its state change, a quota and its month) — so
/// every instance that notices it, however often, names the same event.
/// </summary>
public static class EventIds
{
    public static string Of(params string[] facts) =>
        "evt_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u0001', facts))))[..32];
}
