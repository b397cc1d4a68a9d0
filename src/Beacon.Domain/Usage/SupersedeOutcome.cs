namespace Beacon.Domain.Usage;

/// <summary>What a usage report did to the window stored under its key.</summary>
public enum SupersedeOutcome
{
    /// <summary>A new window key.</summary>
    Inserted,

    /// <summary>The key existed and this report (same or later <c>to_timestamp</c>) replaced it.</summary>
    Replaced,

    /// <summary>The key existed with a later <c>to_timestamp</c>: this is a late, stale copy.</summary>
    IgnoredOlder,

    /// <summary>A later copy with fewer runs or nodes than the stored one: acknowledged, ignored and counted for the vendor.</summary>
    IgnoredLowerCounts,
}
