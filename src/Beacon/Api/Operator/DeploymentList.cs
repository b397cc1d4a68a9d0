namespace Beacon.Api.Operator;

/// <summary>The answer of GET /api/v1/operator/deployments.</summary>
internal sealed record DeploymentList(IReadOnlyList<DeploymentView> Deployments);
