namespace Beacon.Domain.Query;

/// <summary>The wire names used in query parameters, JSON and file names.</summary>
public static class WireNames
{
    public static string Of(UsageKind kind) => kind == UsageKind.Traces ? "traces" : "langsmith_deployments";

    public static string Of(GroupBy g) => g switch
    {
        GroupBy.Workspace => "workspace",
        GroupBy.Project => "project",
        GroupBy.User => "user",
        GroupBy.ApiKey => "api_key",
        GroupBy.License => "license",
        _ => "trace_tier",
    };

    public static string Of(TraceTier t) => t == TraceTier.Longlived ? "longlived" : "shortlived";

    public static bool TryParseKind(string s, out UsageKind kind)
    {
        kind = s == "langsmith_deployments" ? UsageKind.Deployments : UsageKind.Traces;
        return s is "traces" or "langsmith_deployments";
    }

    public static bool TryParseGroupBy(string s, out GroupBy g)
    {
        g = s switch
        {
            "project" => GroupBy.Project,
            "user" => GroupBy.User,
            "api_key" => GroupBy.ApiKey,
            "trace_tier" => GroupBy.TraceTier,
            "license" => GroupBy.License,
            _ => GroupBy.Workspace,
        };
        return s is "workspace" or "project" or "user" or "api_key" or "trace_tier" or "license";
    }

    public static bool TryParseTier(string s, out TraceTier t)
    {
        t = s == "shortlived" ? TraceTier.Shortlived : TraceTier.Longlived;
        return s is "longlived" or "shortlived";
    }
}
