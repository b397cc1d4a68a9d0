using Azure.Data.Tables;

namespace Beacon.Storage.Stores;

/// <summary>
/// Narrows a query to some workspaces on the server when the list is short. The Table service allows
/// at most 15 comparisons in a filter, so long lists are filtered by the caller instead (which must
/// filter anyway: this is an optimisation, never the only guard).
/// </summary>
internal static class WorkspaceFilter
{
    public const int MaxServerSide = 10;

    public static string Clause(IReadOnlyCollection<string>? workspaceIds)
    {
        if (workspaceIds is null || workspaceIds.Count == 0 || workspaceIds.Count > MaxServerSide) return "";
        return " and (" + string.Join(" or ", workspaceIds.Select(w => TableClient.CreateQueryFilter($"workspace_id eq {w}"))) + ")";
    }

    public static bool Accepts(IReadOnlyCollection<string>? workspaceIds, string workspaceId) =>
        workspaceIds is null || workspaceIds.Contains(workspaceId);
}
