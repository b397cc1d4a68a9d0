using Beacon.Domain.Meters;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Tests;

/// <summary>Builds cells of the default catalog by meter name, so tests say what they mean.</summary>
internal static class Cells
{
    public static MeterCatalog Catalog => MeterCatalog.Default;

    public static UsageCell Deployment(string license, long runs = 0, long nodes = 0, long uptimeMicros = 0, long standby = 0, string ws = "ws", string project = "p") =>
        new(new CellKey(ws, project, "", "", license, null), Values(("agent_runs", runs), ("nodes_executed", nodes), ("agent_uptime_seconds", uptimeMicros), ("standby_minutes", standby)));

    public static UsageCell Traces(string license, TraceTier tier, long count) =>
        TraceMeters.Cell(Catalog, new CellKey("ws", "p", "", "", license, tier), count);

    /// <summary>Values by meter name; a distinct-minute meter gets the same value at every scope.</summary>
    public static MeterValues Values(params (string Meter, long Value)[] values) =>
        new([.. Catalog.Slots.Select(s => (Int128)values.Where(v => v.Meter == s.Meter.Name).Sum(v => v.Value))]);

    public static long Get(UsageCell cell, string meter, MinuteScope scope = MinuteScope.Deployment) =>
        (long)cell.Values[Catalog.SlotOf(Catalog.Find(meter)!, scope)];
}
