namespace Beacon.Domain.Query;

/// <summary>The dimension records are grouped by.</summary>
public enum GroupBy
{
    Workspace,
    Project,
    User,
    ApiKey,
    TraceTier,
    License,
}
