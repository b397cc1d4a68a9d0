namespace Beacon.Domain.Query;

/// <summary>The granularities the rollup precomputes: UTC days, ISO weeks (Monday) and calendar months.</summary>
public enum BlockSize
{
    Day,
    Week,
    Month,
}
