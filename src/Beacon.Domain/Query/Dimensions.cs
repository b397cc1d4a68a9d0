using Beacon.Domain.Meters;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Query;

/// <summary>What a grouping reads from a cell key, and which distinct-minute scope it counts.</summary>
public static class Dimensions
{
    public static string ValueOf(CellKey key, GroupBy groupBy) => groupBy switch
    {
        GroupBy.Workspace => key.WorkspaceId,
        GroupBy.Project => key.ProjectId,
        GroupBy.User => key.UserId,
        GroupBy.ApiKey => key.ApiKeyShortKey,
        GroupBy.License => key.LicenseId,
        GroupBy.TraceTier => key.Tier is { } t ? UsageNames.Of(t) : "",
    };

    /// <summary>
    /// Groupings coarser than a deployment count a deployment's minutes once; user and api_key groupings
    /// count each group's own windows, since one deployment's windows can belong to several (SPEC §14).
    /// </summary>
    public static MinuteScope ScopeOf(GroupBy groupBy) => groupBy switch
    {
        GroupBy.Workspace or GroupBy.Project or GroupBy.License or GroupBy.TraceTier => MinuteScope.Deployment,
        GroupBy.User => MinuteScope.User,
        GroupBy.ApiKey => MinuteScope.ApiKey,
    };
}
