namespace Beacon.Domain.Usage;

/// <summary>
/// Where billed usage came from (SPEC §17): reported by a connected install as it ran, or reported by hand
/// for an air-gapped one. Statement lines are per org, license and source.
/// </summary>
public enum UsageSource
{
    Metered,
    SelfReported,
}
