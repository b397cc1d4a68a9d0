namespace Beacon.Domain.Rollups;

/// <summary>Why a rollup step recomputes its days.</summary>
public enum RollupStepKind
{
    /// <summary>Covered days that received data since they were computed.</summary>
    Dirty,

    /// <summary>Late data before the covered range: coverage grows backwards.</summary>
    Backfill,

    /// <summary>Days that closed since the last run: coverage grows forwards.</summary>
    Advance,
}
