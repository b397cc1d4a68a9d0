namespace Beacon.Api.Operator;

/// <summary>One statement line: an org and license (null for usage reported with an API key only).</summary>
internal sealed record StatementLineView(
    string OrgId, string OrgName, string? LicenseId, string? Plan,
    Int128 AgentRuns, Int128 NodesExecuted, Int128 AgentUptimeSeconds, Int128 TracesLonglived, Int128 TracesShortlived);
