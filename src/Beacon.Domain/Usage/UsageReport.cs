namespace Beacon.Domain.Usage;

/// <summary>A validated deployment usage window (SPEC §4.4), before the credential is attached.</summary>
public sealed record UsageReport(
    string WorkspaceId,
    string ProjectId,
    long FromMicros,
    long ToMicros,
    long Runs,
    long Nodes,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, double> OtherMeasures,
    string LogsJson,
    int LogCount)
{
    public const string TenantTag = "langgraph.platform.tenant_id";
    public const string ProjectTag = "langgraph.platform.project_id";
    public const string HostTag = "langgraph.platform.host";
    public const string RunsMeasure = "langgraph.platform.runs";
    public const string NodesMeasure = "langgraph.platform.nodes";

    public IReadOnlyList<DayShare> SplitByDay() => WindowSplit.ByUtcDay(FromMicros, ToMicros, Runs, Nodes);
}
