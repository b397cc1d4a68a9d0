namespace Beacon.Api.Operator;

// The operator API's answers (snake_case on the wire, like every Beacon answer).
internal sealed record LicenseList(IReadOnlyList<LicenseView> Licenses);

internal sealed record LicenseChange(string LicenseId, string OrgId, string Status, DateTimeOffset? ExpiresAt);

internal sealed record DeploymentList(IReadOnlyList<DeploymentView> Deployments);

internal sealed record TelemetryView(IReadOnlyList<TelemetryInstance> Instances, IReadOnlyList<System.Text.Json.JsonElement> Logs,
    IReadOnlyList<System.Text.Json.JsonElement> Spans, IReadOnlyDictionary<string, long> Dropped);

internal sealed record TelemetryInstance(string InstanceId, DateTimeOffset LastSeenAt, IReadOnlyList<TelemetryMetric> Metrics);

internal sealed record TelemetryMetric(string Name, string Unit, string Kind, IReadOnlyDictionary<string, string> Attributes, object Value, DateTimeOffset At);

internal sealed record SnapshotList(IReadOnlyList<SnapshotView> Snapshots);

internal sealed record SnapshotView(DateTimeOffset FromTimestamp, DateTimeOffset ToTimestamp, IReadOnlyDictionary<string, long> Measures, DateTimeOffset ReceivedAt);

internal sealed record AuditList(IReadOnlyList<AuditView> Records);

internal sealed record AuditView(DateTimeOffset At, string Actor, string Action, string Target, IReadOnlyDictionary<string, string?> Detail);
