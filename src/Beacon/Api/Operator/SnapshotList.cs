namespace Beacon.Api.Operator;

/// <summary>A page of GET /api/v1/operator/snapshots, newest first; <c>next_cursor</c> is null on the last page.</summary>
internal sealed record SnapshotList(IReadOnlyList<SnapshotView> Snapshots, string? NextCursor);
