namespace Beacon.Api.Operator;

/// <summary>One instance (replica) of an install and its latest metric points.</summary>
internal sealed record TelemetryInstance(string InstanceId, DateTimeOffset LastSeenAt, IReadOnlyList<TelemetryMetric> Metrics);
