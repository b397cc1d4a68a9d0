namespace Beacon.Api.Meters;

/// <summary>One meter of the catalog as <c>GET /api/v1/meters</c> shows it.</summary>
internal sealed record MeterView(string Name, string Unit, string Title, string Kind, string Aggregation, string? Measure, string? Tier, string QuotaMetric, string? GranularField);
