using System.Collections.Concurrent;
using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;

namespace Beacon.Api.Access;

/// <summary>
/// Keeps an API key's last-used time (shown by <c>admin apikey list</c>). Written in the background, at
/// most once per <see cref="Interval"/> per key and instance, so it never adds a write to a request's
/// path; the time is therefore accurate to a few minutes.
/// </summary>
internal sealed class ApiKeyUsage(CredentialStore credentials, TimeProvider time, ILogger<ApiKeyUsage> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastWritten = new(StringComparer.Ordinal);

    public void Record(ApiKeyRecord key)
    {
        var now = time.GetUtcNow();
        if (_lastWritten.TryGetValue(key.KeyId, out var last) && now - last < Interval) return;
        _lastWritten[key.KeyId] = now;
        _ = Task.Run(async () =>
        {
            try
            {
                await credentials.TouchApiKeyAsync(key.OrgId, key.KeyId, now);
            }
            catch (Exception e)
            {
                // Diagnostics only: never fail or slow a request over it.
                logger.LogWarning("Could not record last use of API key {KeyId}: {Error}", key.KeyId, e.GetType().Name);
            }
        });
    }
}
