namespace Beacon.Domain.Telemetry;

/// <summary>A histogram point: how many observations, their sum, and per-bucket counts for explicit bounds (empty for exponential histograms and summaries).</summary>
public sealed record HistogramValue(ulong Count, double? Sum, IReadOnlyList<double> Bounds, IReadOnlyList<ulong> BucketCounts);
