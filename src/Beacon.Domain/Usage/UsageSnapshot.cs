namespace Beacon.Domain.Usage;

/// <summary>
/// A self-hosted install's daily usage snapshot (SPEC §4.6): non-negative integer gauges with any names
/// (workspaces, users, projects, prompts…) over [from, to]. For the vendor only; never billed.
/// </summary>
public sealed record UsageSnapshot(long FromMicros, long ToMicros, IReadOnlyDictionary<string, long> Measures)
{
    public const int MaxMeasures = 100;
    public const int MaxMeasureNameLength = 256;

    /// <summary>All measure names together, in characters: escaped as JSON they still fit one table property (32 K characters).</summary>
    public const int MaxMeasureNameChars = 4_096;
}
