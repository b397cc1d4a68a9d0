using Beacon.Settings;
using System.Text.Json;
using Beacon.Storage.Reports;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Tokens;

/// <summary>
/// Signs the receipt of an accepted self-reported usage file (SPEC §17): a compact JWS (ES256, a JWKS key)
/// whose payload holds the answer's six fields at its top level, plus <c>iss</c> and <c>iat</c>. The
/// signing key stays published for <see cref="KeptFor"/>, so a customer can check a receipt with the JWKS
/// alone for as long as an invoice may be disputed, whatever rotations happen meanwhile.
/// </summary>
public sealed class ReceiptSigner(SigningKeyRing keys, IOptions<BeaconOptions> options, TimeProvider time)
{
    /// <summary>How long a receipt's key stays in the JWKS: seven years, the usual retention of billing records.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(7 * 365 + 2);

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async Task<string> SignAsync(StoredReport r, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["iss"] = options.Value.TokenIssuer,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["report_id"] = r.ReportId,
            ["license_id"] = r.LicenseId,
            ["days"] = r.Days.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            ["totals"] = new Dictionary<string, long>(r.Totals),
            ["sha256"] = r.Sha256,
            ["previous_sha256"] = r.PreviousSha256,
        }, TokenJson.Default.DictionaryStringObject);
        var (token, _) = await keys.SignOfflineAsync(key => _handler.CreateToken(payload, new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256)), now + KeptFor, ct);
        return token;
    }
}
