using Beacon.Settings;
using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Beacon.Api.Access;

/// <summary>
/// Credential lookups, cached briefly so the hot path does not read storage on every request. Entries
/// expire after <see cref="BeaconOptions.CredentialCacheTtl"/> (≤ 60 s), which bounds how long a revoked
/// key keeps working. Unknown secrets are cached for a few seconds to absorb retries. The cache key is
/// the secret's hash, never the secret. Freshness is judged by <see cref="TimeProvider"/> (an entry
/// loaded "in the future" of a clock that went back is stale); the memory cache's own expiry only frees
/// memory.
/// </summary>
internal sealed class CredentialCache(CredentialStore store, IMemoryCache cache, IOptions<BeaconOptions> options, TimeProvider time)
{
    private static readonly TimeSpan NegativeTtl = TimeSpan.FromSeconds(5);

    // A secret that cannot be one of ours is refused without a lookup or a cache entry.
    public Task<LicenseRecord?> FindLicenseAsync(string licenseKey, CancellationToken ct) =>
        !Secrets.IsWellFormed(licenseKey, Secrets.LicensePrefix) ? Task.FromResult<LicenseRecord?>(null)
        : GetAsync("license:" + Secrets.Hash(licenseKey), () => store.FindLicenseAsync(licenseKey, ct));

    public Task<ApiKeyRecord?> FindApiKeyAsync(string apiKey, CancellationToken ct) =>
        !Secrets.IsWellFormed(apiKey, Secrets.ApiKeyPrefix) ? Task.FromResult<ApiKeyRecord?>(null)
        : GetAsync("apikey:" + Secrets.Hash(apiKey), () => store.FindApiKeyAsync(apiKey, ct));

    public Task<OperatorKeyRecord?> FindOperatorKeyAsync(string operatorKey, CancellationToken ct) =>
        !Secrets.IsWellFormed(operatorKey, Secrets.OperatorKeyPrefix) ? Task.FromResult<OperatorKeyRecord?>(null)
        : GetAsync("operator:" + Secrets.Hash(operatorKey), () => store.FindOperatorKeyAsync(operatorKey, ct));

    private async Task<T?> GetAsync<T>(string key, Func<Task<T?>> load) where T : class
    {
        var now = time.GetUtcNow();
        if (cache.TryGetValue(key, out Holder<T>? hit) && hit is not null && now >= hit.LoadedAt && now < hit.LoadedAt + hit.Ttl) return hit.Value;
        var value = await load();
        var ttl = value is null ? TimeSpanMin(NegativeTtl, options.Value.CredentialCacheTtl) : options.Value.CredentialCacheTtl;
        if (ttl > TimeSpan.Zero) cache.Set(key, new Holder<T>(value, now, ttl), ttl);
        return value;
    }

    private static TimeSpan TimeSpanMin(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private sealed record Holder<T>(T? Value, DateTimeOffset LoadedAt, TimeSpan Ttl);
}
