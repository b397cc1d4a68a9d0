using Beacon.Domain.Statements;

namespace Beacon.Storage.Statements;

/// <summary>A whole month's lines summed: how many there are and their totals per meter (adjustments apart).</summary>
public sealed record LineSummary(int Lines, MeterTotals Totals)
{
    public static LineSummary Of(IEnumerable<StatementLine> lines)
    {
        int count = 0;
        var totals = MeterTotals.Empty;
        foreach (var l in lines)
        {
            count++;
            foreach (var m in l.Totals.Meters) totals = totals.Plus(m, l.Totals.Get(m));
        }
        return new LineSummary(count, totals);
    }
}
