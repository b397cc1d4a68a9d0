using Azure.Data.Tables;
using Beacon.Domain.Statements;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Statements;

/// <summary>
/// Meter totals as table columns: one 128-bit column per meter, named a prefix plus the meter's name
/// (<c>f_</c> frozen, <c>a_</c> accounted, <c>t_</c> totals). A meter a row was written without stays absent.
/// </summary>
internal static class TotalsColumns
{
    public static void Write(TableEntity e, string prefix, MeterTotals t)
    {
        foreach (var m in t.Meters) e[prefix + m] = Int128Column.Write(t.Get(m));
    }

    public static MeterTotals Read(TableEntity e, string prefix) =>
        MeterTotals.Of(e.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => (k[prefix.Length..], Int128Column.Read(e, k))));
}
