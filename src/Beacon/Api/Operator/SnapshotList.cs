namespace Beacon.Api.Operator;

/// <summary>The answer of GET /api/v1/operator/snapshots, newest first.</summary>
internal sealed record SnapshotList(IReadOnlyList<SnapshotView> Snapshots);
