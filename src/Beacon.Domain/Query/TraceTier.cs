namespace Beacon.Domain.Query;

/// <summary>Trace retention tier.</summary>
public enum TraceTier
{
    Longlived,
    Shortlived,
}
