using Beacon.Domain.Credentials;

namespace Beacon.Api.Access;

/// <summary>
/// Looks up presented secrets (through the short-lived cache) and applies the licensing rules: an API
/// key must be known and unrevoked; a license must be known, and is refused with a reason when
/// suspended, revoked or expired. Rate limits are per presented credential.
/// </summary>
internal sealed class CredentialChecks(CredentialCache cache, CredentialRateLimiter limiter, ApiKeyUsage usage, TimeProvider time)
{
    public bool TryAcquire(string secret, out TimeSpan retryAfter) => limiter.TryAcquire(secret, out retryAfter);

    /// <summary>The key's record when it is known and not revoked; otherwise null.</summary>
    public async Task<ApiKeyRecord?> ActiveApiKeyAsync(string apiKey, CancellationToken ct)
    {
        var key = await cache.FindApiKeyAsync(apiKey, ct);
        if (key is null || key.IsRevoked) return null;
        usage.Record(key);
        return key;
    }

    public async Task<LicenseCheck> LicenseAsync(string licenseKey, CancellationToken ct)
    {
        var license = await cache.FindLicenseAsync(licenseKey, ct);
        return new LicenseCheck(license, license?.RefusalReason(time.GetUtcNow()));
    }
}
