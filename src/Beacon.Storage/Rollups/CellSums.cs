using Beacon.Domain.Meters;

namespace Beacon.Storage.Rollups;

/// <summary>Cells added up per period (a day, a week's Monday, a month's first day) and per cell key.</summary>
internal sealed class CellSums
{
    private readonly Dictionary<DateOnly, Dictionary<CellKey, UsageCell>> _periods = [];

    public void Add(DateOnly period, UsageCell cell)
    {
        if (!_periods.TryGetValue(period, out var cells)) _periods[period] = cells = [];
        cells[cell.Key] = cells.TryGetValue(cell.Key, out var sum) ? sum.Plus(cell) : cell;
    }

    public Dictionary<DateOnly, List<UsageCell>> Lists() => _periods.ToDictionary(kv => kv.Key, kv => kv.Value.Values.ToList());
}
