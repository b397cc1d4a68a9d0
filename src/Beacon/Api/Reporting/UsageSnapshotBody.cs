namespace Beacon.Api.Reporting;

/// <summary><c>POST /v1/beacon/usage-snapshot</c>'s body, for the OpenAPI document: a day's counts of users, projects and the like.</summary>
internal sealed record UsageSnapshotBody(DateTimeOffset FromTimestamp, DateTimeOffset ToTimestamp, IReadOnlyDictionary<string, long> Measures, string? LicenseKey = null, string? ApiKey = null);
