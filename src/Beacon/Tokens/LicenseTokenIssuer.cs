using Beacon.Settings;
using System.Text.Json;
using Beacon.Api.Licenses;
using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Tokens;

/// <summary>Issues the short-lived ES256 JWT that <c>/v1/beacon/verify</c> returns for an active license.</summary>
public sealed class LicenseTokenIssuer(SigningKeyRing keys, IOptions<BeaconOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <param name="quotas">The license's quotas as they stand now: the token carries what the listing shows.</param>
    public async Task<string> IssueAsync(LicenseRecord license, IReadOnlyList<QuotaView> quotas, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var expires = license.TokenExpiry(now, o.TokenLifetime).UtcDateTime;
        var key = await keys.GetSigningKeyAsync(ct);
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = o.TokenIssuer,
            Audience = o.TokenAudience,
            IssuedAt = now,
            NotBefore = now,
            Expires = expires,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = license.LicenseId,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("D"),
                ["org_id"] = license.OrgId,
                ["plan"] = license.Plan,
                ["entitlements"] = license.Entitlements.ToList(),
                ["quotas"] = JsonSerializer.SerializeToElement(quotas, TokenJson.Default.IReadOnlyListQuotaView),
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }
}
