namespace Beacon.Domain.Usage;

/// <summary>The two billable domains served by the granular usage API.</summary>
public enum UsageKind
{
    Traces,
    Deployments,
}
