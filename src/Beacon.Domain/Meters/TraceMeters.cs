namespace Beacon.Domain.Meters;

/// <summary>A trace transaction's cell: its count in every trace-count meter of its tier.</summary>
public static class TraceMeters
{
    public static UsageCell Cell(MeterCatalog catalog, CellKey key, long traceCount)
    {
        var values = new Int128[catalog.Slots.Count];
        for (int s = 0; s < values.Length; s++)
        {
            var meter = catalog.Slots[s].Meter;
            values[s] = meter.Aggregation switch
            {
                Aggregation.TraceCount => meter.Tier == key.Tier ? traceCount : 0,
                Aggregation.ApportionedSum or Aggregation.OverlapSeconds or Aggregation.DistinctMinuteSlots => 0, // window meters
            };
        }
        return new UsageCell(key, new MeterValues(values));
    }
}
