namespace Beacon.Domain.Usage;

/// <summary>The wire names of the two billable domains, the trace tiers and the usage sources (query parameters, JSON, file names, stored columns).</summary>
public static class UsageNames
{
    public static string Of(UsageKind kind) => kind switch
    {
        UsageKind.Traces => "traces",
        UsageKind.Deployments => "langsmith_deployments",
    };

    public static string Of(TraceTier tier) => tier switch
    {
        TraceTier.Longlived => "longlived",
        TraceTier.Shortlived => "shortlived",
    };

    public static string Of(UsageSource source) => source switch
    {
        UsageSource.Metered => "metered",
        UsageSource.SelfReported => "self_reported",
    };

    public static bool TryParseSource(string? s, out UsageSource source) => TryParse(s, Enum.GetValues<UsageSource>(), Of, out source);

    public static bool TryParseKind(string? s, out UsageKind kind) => TryParse(s, Enum.GetValues<UsageKind>(), Of, out kind);

    public static bool TryParseTier(string? s, out TraceTier tier) => TryParse(s, Enum.GetValues<TraceTier>(), Of, out tier);

    private static bool TryParse<T>(string? s, T[] values, Func<T, string> name, out T value) where T : struct
    {
        foreach (var v in values)
        {
            if (name(v) != s) continue;
            value = v;
            return true;
        }
        value = default;
        return false;
    }
}
