namespace Beacon.Domain.Rollups;

/// <summary>Days [<see cref="First"/>, <see cref="Last"/>] received data at <see cref="MarkedAt"/>, possibly after they were rolled up.</summary>
public sealed record DirtyMark(DateOnly First, DateOnly Last, DateTimeOffset MarkedAt)
{
    public bool Intersects(DateOnly from, DateOnly toExclusive) => First < toExclusive && Last >= from;
}
