using Beacon.Settings;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Beacon.Api.Access;

/// <summary>
/// A token bucket of failed authentications per client address. A presented credential that is not
/// known costs a token; an address with none left is answered 429 before its credential is looked up,
/// so guessing keys (or flooding with random ones, each a storage read) is slow and cheap to refuse.
/// Known credentials never cost a token, so a deployment behind a shared address is not limited by
/// its neighbours' typos beyond the burst.
/// </summary>
internal sealed class FailedAuthenticationLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly BeaconOptions options;

    public FailedAuthenticationLimiter(IOptions<BeaconOptions> options)
    {
        var o = this.options = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = o.FailedAuthBurst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1.0 / o.FailedAuthPerMinute),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>True while the address has failures left; false means answer 429 without looking anything up.</summary>
    public bool MayTry(HttpContext http, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.FromSeconds(Math.Ceiling(60.0 / options.FailedAuthPerMinute));
        return _limiter.GetStatistics(AddressOf(http))?.CurrentAvailablePermits is not 0;
    }

    public void Failed(HttpContext http)
    {
        using var _ = _limiter.AttemptAcquire(AddressOf(http));
    }

    /// <summary>
    /// The client's address. Behind the Functions host (a loopback connection) it is the last entry of
    /// <c>X-Forwarded-For</c>, the one the platform's front end appended; a client cannot forge that
    /// entry, only earlier ones. Directly connected clients are their connection's address.
    /// </summary>
    internal static string AddressOf(HttpContext http)
    {
        var remote = http.Connection.RemoteIpAddress;
        if (remote is null || IPAddress.IsLoopback(remote))
        {
            var forwarded = http.Request.Headers["X-Forwarded-For"].ToString();
            var last = forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
            if (last is not null) return StripPort(last);
        }
        return remote?.ToString() ?? "";
    }

    private static string StripPort(string entry) =>
        IPAddress.TryParse(entry, out var ip) ? ip.ToString()
        : entry.LastIndexOf(':') is > 0 and var i && IPAddress.TryParse(entry[..i].Trim('[', ']'), out var withPort) ? withPort.ToString()
        : entry;

    public void Dispose() => _limiter.Dispose();
}
