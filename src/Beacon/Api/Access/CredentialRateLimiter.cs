using Beacon.Settings;
using System.Threading.RateLimiting;
using Beacon.Domain.Credentials;
using Microsoft.Extensions.Options;

namespace Beacon.Api.Access;

/// <summary>
/// A token bucket per presented credential (keyed by its hash). Checked before the credential is
/// looked up, so a flood costs no storage reads.
/// </summary>
internal sealed class CredentialRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public CredentialRateLimiter(IOptions<BeaconOptions> options)
    {
        var o = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(hash => RateLimitPartition.GetTokenBucketLimiter(hash, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = o.RateLimitBurst,
                TokensPerPeriod = o.RateLimitPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public bool TryAcquire(string secret, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(Secrets.Hash(secret));
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan r) ? r : TimeSpan.FromSeconds(1);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
