namespace Beacon.Api.Operator;

/// <summary>A page of GET /api/v1/operator/deployments: silent first, then reporting; <c>next_cursor</c> is null on the last page.</summary>
internal sealed record DeploymentList(IReadOnlyList<DeploymentView> Deployments, string? NextCursor, StateCounts Counts);
