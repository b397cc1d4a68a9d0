namespace Beacon.Api.Billing;

/// <summary>
/// The shape of the granular usage answer, for the OpenAPI document (the answer itself is written by
/// <see cref="UsageJsonResult"/>): <c>dimensions</c> holds the grouped dimension's id and name, and a
/// record carries the granular fields of the meter catalog: <c>traces</c> (kind=traces) or
/// <c>nodes_executed</c>, <c>agent_runs</c>, <c>agent_uptime_seconds</c> and <c>standby_minutes</c>
/// (kind=langsmith_deployments).
/// </summary>
internal sealed record UsageAnswer(UsageAnswer.StrideShape Stride, IReadOnlyList<UsageAnswer.Record> Usage)
{
    internal sealed record StrideShape(int Days, int Hours);

    internal sealed record Record(string TimeBucket, IReadOnlyDictionary<string, string?> Dimensions, long? Traces, long? NodesExecuted, long? AgentRuns, long? AgentUptimeSeconds, long? StandbyMinutes);
}
