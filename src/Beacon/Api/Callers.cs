using System.Text.Json;
using Beacon.Storage.Stores;

namespace Beacon.Api;

/// <summary>Who is reporting usage: the org the credential belongs to, never an org named in the body.</summary>
internal sealed record ReportingCaller(string OrgId, Reporter Reporter, ApiKeyRecord? ApiKey, LicenseRecord? License);

/// <summary>
/// Authenticates callers. Reporting endpoints accept a license (<c>license_key</c> or <c>license</c> in
/// the body) or an API key (<c>api_key</c> in the body, or <c>X-Api-Key</c>); the platform client sends
/// both fields with one of them null. Customer endpoints take <c>X-Api-Key</c>.
/// </summary>
internal sealed class Callers(CredentialCache credentials, CredentialRateLimiter limiter, ApiKeyUsage usage, TimeProvider time)
{
    public async Task<(ReportingCaller? Caller, IResult? Problem)> AuthenticateReporterAsync(JsonElement body, HttpRequest request, CancellationToken ct)
    {
        var license = NonEmpty(JsonBody.String(body, "license_key")) ?? NonEmpty(JsonBody.String(body, "license"));
        var apiKey = NonEmpty(JsonBody.String(body, "api_key")) ?? NonEmpty(request.Headers["X-Api-Key"].ToString());
        if (license is null && apiKey is null)
            return (null, Problems.Unauthenticated("Provide a license key (license_key) or an API key (api_key or the X-Api-Key header)."));

        if (!limiter.TryAcquire(license ?? apiKey!, out var retryAfter)) return (null, RetryAfterResult.RateLimited(retryAfter));

        if (license is not null)
        {
            var (record, problem) = await AuthenticateLicenseAsync(license, ct);
            return problem is not null ? (null, problem) : (new ReportingCaller(record!.OrgId, Reporter.ForLicense(record.LicenseId), null, record), null);
        }
        var key = await credentials.FindApiKeyAsync(apiKey!, ct);
        if (key is null || key.IsRevoked) return (null, Problems.Unauthenticated("The API key is unknown or revoked."));
        usage.Record(key);
        return (new ReportingCaller(key.OrgId, Reporter.ForApiKey(key), key, null), null);
    }

    /// <summary>Unknown → 401; known but suspended, revoked or expired → 403 with the reason.</summary>
    public async Task<(LicenseRecord? License, IResult? Problem)> AuthenticateLicenseAsync(string licenseKey, CancellationToken ct)
    {
        var record = await credentials.FindLicenseAsync(licenseKey, ct);
        if (record is null) return (null, Problems.Unauthenticated("The license key is unknown or malformed."));
        var refusal = record.RefusalReason(time.GetUtcNow());
        return refusal is null ? (record, null) : (null, Problems.LicenseNotActive(refusal));
    }

    /// <summary>For customer endpoints: <c>X-Api-Key</c> must be a known, unrevoked key.</summary>
    public async Task<(ApiKeyRecord? Key, IResult? Problem)> AuthenticateApiKeyAsync(HttpRequest request, CancellationToken ct)
    {
        var apiKey = NonEmpty(request.Headers["X-Api-Key"].ToString());
        if (apiKey is null) return (null, Problems.Unauthenticated("Provide an API key in the X-Api-Key header."));
        if (!limiter.TryAcquire(apiKey, out var retryAfter)) return (null, RetryAfterResult.RateLimited(retryAfter));
        var key = await credentials.FindApiKeyAsync(apiKey, ct);
        if (key is null || key.IsRevoked) return (null, Problems.Unauthenticated("The API key is unknown or revoked."));
        usage.Record(key);
        return (key, null);
    }

    public bool TryAcquire(string secret, out TimeSpan retryAfter) => limiter.TryAcquire(secret, out retryAfter);

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
