using Beacon.Domain.Csv;
using Beacon.Domain.Meters;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Reports;

/// <summary>
/// What a self-reported row bills (SPEC §17), as a one-day cell of the license with source
/// <see cref="UsageSource.SelfReported"/>, so it flows through the granular API, rollups, statements and
/// quotas like metered usage. Each value column goes to the meter that owns it; a column several meters
/// share (the export's <c>Traces</c> sums both tiers) goes to the one of the platform's default tier,
/// short-lived, because the file cannot tell them apart. A distinct-minute meter is derived from the
/// row's overlap seconds: ⌈seconds ÷ 60⌉, at most the 1,440 minutes of a day, in every scope (the row is
/// one workspace or project; there is nothing finer to deduplicate).
/// </summary>
public static class ReportedCells
{
    public const int MinutesPerDay = 1440;

    public static UsageCell Of(MeterCatalog catalog, UsageKind kind, string licenseId, ReportedRow row)
    {
        var meters = catalog.MetersOf(kind);
        var columns = new CsvLayout(catalog).ValueColumns(kind);
        var byMeter = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int c = 0; c < columns.Count; c++)
            byMeter[OwnerOf(meters, columns[c]).Name] = row.Values[c];
        long? uptimeSeconds = meters.Where(m => m.Aggregation == Aggregation.OverlapSeconds).Select(m => byMeter.GetValueOrDefault(m.Name)).FirstOrDefault();
        var values = new Int128[catalog.Slots.Count];
        for (int s = 0; s < values.Length; s++)
        {
            var meter = catalog.Slots[s].Meter;
            if (meter.Kind != kind) continue;
            values[s] = meter.Aggregation switch
            {
                Aggregation.ApportionedSum or Aggregation.TraceCount => byMeter.GetValueOrDefault(meter.Name),
                Aggregation.OverlapSeconds => (Int128)byMeter.GetValueOrDefault(meter.Name) * Timestamps.MicrosPerSecond,
                Aggregation.DistinctMinuteSlots => DerivedMinutes(uptimeSeconds ?? 0),
            };
        }
        var tier = kind == UsageKind.Traces ? TraceTier.Shortlived : (TraceTier?)null;
        var key = new CellKey(row.WorkspaceId, row.ProjectId, "", "", licenseId, tier, UsageSource.SelfReported);
        return new UsageCell(key, new MeterValues(values));
    }

    /// <summary>The standby minutes of a reported row: its uptime seconds ÷ 60 rounded up, at most a day.</summary>
    public static long DerivedMinutes(long uptimeSeconds) => Math.Min(MinutesPerDay, (uptimeSeconds + 59) / 60);

    private static Meter OwnerOf(IReadOnlyList<Meter> meters, GranularColumn column)
    {
        var owners = column.MeterIndexes.Select(i => meters[i]).ToList();
        return owners.Count == 1 ? owners[0] : owners.FirstOrDefault(m => m.Tier == TraceTier.Shortlived)
            ?? throw new InvalidOperationException($"Column '{column.Field.CsvColumn}' is shared by meters a report cannot choose between.");
    }
}
