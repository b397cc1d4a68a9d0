using System.Diagnostics.CodeAnalysis;
using Beacon.Storage.Account;
using System.ComponentModel.DataAnnotations;

namespace Beacon.Storage.Rollups;

/// <summary>Timing of the rollup job: the <c>Beacon:Rollup</c> settings (<c>Beacon__Rollup__Grace</c> …), validated at start.</summary>
public sealed class RollupOptions
{
    public const string Section = "Beacon:Rollup";

    /// <summary>
    /// A day is rolled up only once it has been over for this long, and a dirty mark is cleared only
    /// once it is this old. Writers mark a day dirty before writing data for a day that is already
    /// over, and a write takes far less than this, so a rollup never misses data it should have read.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Why)]
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Lease on <c>beacon-locks/rollup</c> (15–60 s, Blob Storage's bounds); renewed at half this while a run works.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Why)]
    [Range(typeof(TimeSpan), "00:00:15", "00:01:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Each org's share of a run: at most this many recompute steps, then the next org. The rest of
    /// the plan waits for the next run (progress is saved per step), so an org with years of dirty days
    /// cannot hold back everyone else's rollups.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxStepsPerOrg { get; set; } = 24;

    /// <summary>
    /// How often a step is tried when storage faults outlast the SDK's own retries. A step is a pure
    /// recomputation, so trying it again is always safe, and finished steps are kept.
    /// </summary>
    [Range(1, 100)]
    public int StepAttempts { get; set; } = 6;

    /// <summary>The first pause between attempts of a step (doubled each time).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Why)]
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan StepRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether runs stage the dashboard-preset CSV exports.</summary>
    public bool StageExports { get; set; } = true;
}
