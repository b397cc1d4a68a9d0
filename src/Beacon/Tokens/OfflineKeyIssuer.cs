using Beacon.Settings;
using System.Text.Json;
using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Tokens;

/// <summary>
/// Issues an offline license key (SPEC §17): a compact JWS (ES256) that an air-gapped install verifies with
/// the JWKS alone. One implementation for the operator API and the CLI. The key is not stored (it is shown
/// once); the audit records its id, signing key and expiry. Issuing one changes nothing for online
/// verification of the same license.
/// </summary>
public sealed class OfflineKeyIssuer(SigningKeyRing keys, CredentialStore credentials, DirectoryStore directory, AuditLog audit,
    IOptions<BeaconOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>The outcome: the key, or no such license, or a refusal with its reason.</summary>
    public sealed record Outcome(OfflineLicenseKey? Key, bool NotFound, OfflineKeyTerms.Refusal? Refused, string? Reason);

    /// <param name="orgId">When given, the license must belong to it (the CLI names both).</param>
    public async Task<Outcome> IssueAsync(string licenseId, string? orgId, DateTimeOffset requestedExpiry, string actor, CancellationToken ct)
    {
        var license = orgId is null ? await credentials.GetLicenseAsync(licenseId, ct) : await credentials.GetLicenseAsync(orgId, licenseId, ct);
        if (license is null) return new Outcome(null, true, null, null);
        var now = time.GetUtcNow();
        var (expiresAt, refused, reason) = OfflineKeyTerms.Decide(license, requestedExpiry, now);
        if (refused is not null) return new Outcome(null, false, refused, reason);
        var orgName = (await directory.GetOrgAsync(license.OrgId, ct))?.Name ?? "";
        var jti = Guid.NewGuid().ToString("D");
        var (token, kid) = await keys.SignOfflineAsync(key => Sign(key, license, orgName, jti, now, expiresAt), expiresAt, ct);
        await audit.AppendAsync(actor, "license.offline_key", "license:" + license.LicenseId, new Dictionary<string, string?>
        {
            ["org_id"] = license.OrgId, ["kid"] = kid, ["jti"] = jti, ["expires_at"] = expiresAt.ToString("O"),
        }, ct);
        return new Outcome(new OfflineLicenseKey(token, license.LicenseId, kid, expiresAt), false, null, null);
    }

    private string Sign(ECDsaSecurityKey key, LicenseRecord license, string orgName, string jti, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = license.LicenseId,
            [JwtRegisteredClaimNames.Jti] = jti,
            ["org_id"] = license.OrgId,
            ["org_name"] = orgName,
            ["plan"] = license.Plan,
            ["entitlements"] = license.Entitlements.ToList(),
            ["quotas"] = JsonSerializer.SerializeToElement([.. license.Quotas.Select(q => new ClaimQuota(q.Metric, q.Limit))], TokenJson.Default.ClaimQuotaArray),
            ["offline"] = true,
        };
        // The platform reads one boolean per entitlement (lgp_enabled and the like).
        foreach (var e in license.Entitlements) claims.TryAdd(e + "_enabled", true);
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()).UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.TokenIssuer,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expiresAt.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }
}
