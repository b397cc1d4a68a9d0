namespace Beacon.Storage.Rollups;

/// <summary>Timing of the rollup job.</summary>
public sealed class RollupOptions
{
    /// <summary>
    /// A day is rolled up only once it has been over for this long, and a dirty mark is cleared only
    /// once it is this old. Writers mark a day dirty before writing data for a day that is already
    /// over, and a write takes far less than this, so a rollup never misses data it should have read.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Lease on <c>beacon-locks/rollup</c> (15–60 s); renewed at half this while a run works.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether runs stage the dashboard-preset CSV exports.</summary>
    public bool StageExports { get; set; } = true;
}
