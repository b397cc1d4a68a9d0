namespace Beacon.Tests;

/// <summary>
/// Where a property test's datasets start. Each run starts somewhere new, so the runs together cover far more
/// datasets than one run could in its time budget; a failure names the start, and BEACON_PROPERTY_SEED=that
/// start replays the very same datasets.
/// </summary>
public static class PropertySeeds
{
    public static int Start { get; } = int.TryParse(Environment.GetEnvironmentVariable("BEACON_PROPERTY_SEED"), out var s) ? s : Random.Shared.Next(1, 1_000_000_000);

    /// <summary>What a failure message says so that the run can be replayed.</summary>
    public static string Replay => $"BEACON_PROPERTY_SEED={Start} replays this run";
}
