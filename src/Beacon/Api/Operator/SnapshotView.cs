namespace Beacon.Api.Operator;

/// <summary>One usage snapshot as the operator sees it.</summary>
internal sealed record SnapshotView(DateTimeOffset FromTimestamp, DateTimeOffset ToTimestamp, IReadOnlyDictionary<string, long> Measures, DateTimeOffset ReceivedAt);
