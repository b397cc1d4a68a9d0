namespace Beacon.Domain.Alerts;

/// <summary>
/// When a failed delivery is tried again (SPEC §18): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h after the failures
/// before, then every 10 h, until 3 days have passed since the first attempt; an endpoint whose deliveries
/// have failed for 5 days without a success in between is disabled.
/// </summary>
public static class RetrySchedule
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(3);
    public static readonly TimeSpan DisableAfter = TimeSpan.FromDays(5);

    private static readonly TimeSpan[] Delays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10),
    ];

    /// <summary>The next attempt after <paramref name="failedAttempts"/> failures (≥ 1), or null when the delivery has failed for good.</summary>
    public static DateTimeOffset? NextAttempt(int failedAttempts, DateTimeOffset firstAttemptAt, DateTimeOffset lastAttemptAt)
    {
        var next = lastAttemptAt + Delays[Math.Min(Math.Max(failedAttempts, 1), Delays.Length) - 1];
        return next - firstAttemptAt > GiveUpAfter ? null : next;
    }
}
