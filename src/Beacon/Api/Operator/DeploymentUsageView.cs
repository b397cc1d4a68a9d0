namespace Beacon.Api.Operator;

/// <summary>One deployment's usage in a month, by meter (standby minutes counted once across its replicas).</summary>
internal sealed record DeploymentUsageView(string WorkspaceId, string ProjectId, string ProjectName, IReadOnlyDictionary<string, Int128> Meters);
