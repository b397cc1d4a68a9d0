using System.Text.Json.Serialization;

namespace Beacon.Api.Operator;

/// <summary>One deployment in <c>GET /api/v1/operator/deployments</c> (SPEC §12): (license or API key, workspace, project).</summary>
internal sealed record DeploymentView(
    string? LicenseId,
    string? ApiKeyId,
    string OrgId,
    string OrgName,
    string WorkspaceId,
    string ProjectId,
    string ProjectName,
    string State,
    DateTimeOffset? FirstReportAt,
    DateTimeOffset? LastReportAt,
    int Replicas,
    IReadOnlyDictionary<string, string> Client,
    IReadOnlyDictionary<string, string> Features,
    IReadOnlyDictionary<string, double> Gauges,
    [property: JsonPropertyName("runs_24h")] long Runs24h,
    [property: JsonPropertyName("nodes_24h")] long Nodes24h);
