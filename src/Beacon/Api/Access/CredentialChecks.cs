using Beacon.Domain.Credentials;

namespace Beacon.Api.Access;

/// <summary>
/// Looks up presented secrets (through the short-lived cache) and applies the licensing rules: an API
/// key must be known and unrevoked; a license must be known, and is refused with a reason when
/// suspended, revoked or expired. Rate limits are per presented credential and, for credentials that
/// fail, per client address (<see cref="FailedAuthenticationLimiter"/>).
/// </summary>
internal sealed class CredentialChecks(CredentialCache cache, CredentialRateLimiter limiter, FailedAuthenticationLimiter failures, ApiKeyUsage usage, TimeProvider time)
{
    /// <summary>False (answer 429) when the client's address has failed too often or the credential is over its bucket.</summary>
    public bool TryAcquire(HttpContext http, string secret, out TimeSpan retryAfter) =>
        failures.MayTry(http, out retryAfter) && limiter.TryAcquire(secret, out retryAfter);

    /// <summary>The key's record when it is known and not revoked; otherwise null (and a failure of the caller's address).</summary>
    public async Task<ApiKeyRecord?> ActiveApiKeyAsync(HttpContext http, string apiKey)
    {
        var key = await cache.FindApiKeyAsync(apiKey, http.RequestAborted);
        if (key is null || key.IsRevoked)
        {
            failures.Failed(http);
            return null;
        }
        usage.Record(key);
        return key;
    }

    /// <summary>The operator key's record when it is known and not revoked; otherwise null (and a failure of the caller's address).</summary>
    public async Task<OperatorKeyRecord?> ActiveOperatorKeyAsync(HttpContext http, string operatorKey)
    {
        var key = await cache.FindOperatorKeyAsync(operatorKey, http.RequestAborted);
        if (key is null || key.IsRevoked)
        {
            failures.Failed(http);
            return null;
        }
        return key;
    }

    public async Task<LicenseCheck> LicenseAsync(HttpContext http, string licenseKey)
    {
        var license = await cache.FindLicenseAsync(licenseKey, http.RequestAborted);
        if (license is null) failures.Failed(http);
        return new LicenseCheck(license, license?.RefusalReason(time.GetUtcNow()));
    }
}
