using Beacon.Domain.Usage;

namespace Beacon.Domain.Meters;

/// <summary>
/// One billed quantity (SPEC §14): its wire name (statement column, adjustment metric, stored column),
/// unit, title, aggregation and where it shows. <see cref="Measure"/> is the window measure an
/// apportioned sum counts; <see cref="Tier"/> the trace tier a trace count counts; <see cref="QuotaMetric"/>
/// the quota it counts towards (its own name unless several meters share one, as the trace tiers share
/// <c>traces</c>). Meters are data: <see cref="MeterCatalog"/> lists them, and code reads the catalog.
/// </summary>
public sealed record Meter(string Name, string Unit, string Title, Aggregation Aggregation)
{
    public string? Measure { get; init; }
    public TraceTier? Tier { get; init; }
    public GranularField? Granular { get; init; }
    public string? QuotaMetric { get; init; }

    /// <summary>The quota metric this meter counts towards.</summary>
    public string Quota => QuotaMetric ?? Name;

    /// <summary>The raw records it reads: usage windows (deployments) or trace transactions.</summary>
    public UsageKind Kind => Aggregation switch
    {
        Aggregation.ApportionedSum => UsageKind.Deployments,
        Aggregation.OverlapSeconds => UsageKind.Deployments,
        Aggregation.DistinctMinuteSlots => UsageKind.Deployments,
        Aggregation.TraceCount => UsageKind.Traces,
    };

    /// <summary>The scopes it keeps a value for in every cell: one, except for distinct minutes.</summary>
    public IReadOnlyList<MinuteScope?> Scopes => Aggregation switch
    {
        Aggregation.ApportionedSum or Aggregation.OverlapSeconds or Aggregation.TraceCount => [null],
        Aggregation.DistinctMinuteSlots => [MinuteScope.Deployment, MinuteScope.User, MinuteScope.ApiKey],
    };

    /// <summary>
    /// A bucket's summed cell value as shown: overlap is summed in microseconds and shown in whole seconds
    /// (rounded half up, once per bucket, SPEC §4.4); every other aggregation is shown as summed.
    /// </summary>
    public Int128 Finish(Int128 summed) => Aggregation switch
    {
        Aggregation.OverlapSeconds => WindowSplit.RoundToSeconds(summed),
        Aggregation.ApportionedSum or Aggregation.DistinctMinuteSlots or Aggregation.TraceCount => summed,
    };

    /// <summary>The aggregation's wire name, for the catalog's JSON.</summary>
    public string AggregationName => Aggregation switch
    {
        Aggregation.ApportionedSum => "apportioned_sum",
        Aggregation.OverlapSeconds => "overlap_seconds",
        Aggregation.DistinctMinuteSlots => "distinct_minute_slots",
        Aggregation.TraceCount => "trace_count",
    };
}
