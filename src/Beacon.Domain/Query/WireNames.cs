namespace Beacon.Domain.Query;

/// <summary>The wire names of the groupings, used in query parameters and file names.</summary>
public static class WireNames
{
    public static string Of(GroupBy g) => g switch
    {
        GroupBy.Workspace => "workspace",
        GroupBy.Project => "project",
        GroupBy.User => "user",
        GroupBy.ApiKey => "api_key",
        GroupBy.TraceTier => "trace_tier",
        GroupBy.License => "license",
    };

    public static bool TryParseGroupBy(string? s, out GroupBy g)
    {
        foreach (var v in Enum.GetValues<GroupBy>())
        {
            if (Of(v) != s) continue;
            g = v;
            return true;
        }
        g = default;
        return false;
    }
}
