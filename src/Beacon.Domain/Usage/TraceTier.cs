namespace Beacon.Domain.Usage;

/// <summary>Trace retention tier.</summary>
public enum TraceTier
{
    Longlived,
    Shortlived,
}
