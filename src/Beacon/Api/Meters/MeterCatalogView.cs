namespace Beacon.Api.Meters;

/// <summary>
/// <c>GET /api/v1/meters</c>: the meter catalog, so the dashboard, the console and scripts name and place
/// meters from one list. <see cref="GranularFields"/> is keyed by usage kind, fields in record order.
/// </summary>
internal sealed record MeterCatalogView(IReadOnlyList<MeterView> Meters, IReadOnlyDictionary<string, IReadOnlyList<GranularFieldView>> GranularFields, IReadOnlyList<string> QuotaMetrics);
