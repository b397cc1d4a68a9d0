namespace Beacon.Domain.Meters;

/// <summary>
/// Streams stored windows into one-day cells. Windows must arrive in order of their first day (a range
/// query over day partitions returns them so; windows that began before the range come first): once a
/// window of day D arrives, no later window can touch a day before D, so those days are complete and
/// their distinct minutes can be counted. Memory holds only days still open.
/// </summary>
public sealed class WindowDays(MeterCatalog catalog, DateOnly from, DateOnly to)
{
    private readonly SortedDictionary<DateOnly, List<WindowPiece>> _open = [];
    private DateOnly _firstDaySeen = DateOnly.MinValue;

    /// <summary>Adds a window; returns the cells of every day that it proves complete.</summary>
    public IEnumerable<(DateOnly Day, UsageCell Cell)> Add(WindowFacts window)
    {
        var firstDay = Time.Timestamps.DayOf(window.FromMicros);
        if (firstDay < _firstDaySeen) throw new InvalidOperationException($"Windows arrived out of day order ({firstDay} after {_firstDaySeen}).");
        _firstDaySeen = firstDay;
        var done = Drain(before: firstDay);
        foreach (var piece in WindowMeters.Pieces(catalog, window, from, to))
        {
            if (!_open.TryGetValue(piece.Day, out var list)) _open[piece.Day] = list = [];
            list.Add(piece);
        }
        return done;
    }

    /// <summary>The cells of every day still open: call when no window is left.</summary>
    public IEnumerable<(DateOnly Day, UsageCell Cell)> Complete() => Drain(before: DateOnly.MaxValue);

    private List<(DateOnly, UsageCell)> Drain(DateOnly before)
    {
        var done = new List<(DateOnly, UsageCell)>();
        while (_open.Count > 0 && _open.First() is var (day, pieces) && day < before)
        {
            _open.Remove(day);
            done.AddRange(DayCells.Combine(catalog, pieces).Select(c => (day, c)));
        }
        return done;
    }
}
