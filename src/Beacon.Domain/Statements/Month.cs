using System.Globalization;
using Beacon.Domain.Time;

namespace Beacon.Domain.Statements;

/// <summary>A UTC calendar month: what a statement covers and a quota renews over.</summary>
public readonly record struct Month(int Year, int Number) : IComparable<Month>
{
    /// <summary>The earliest month that can hold usage (usage before 2020 is refused).</summary>
    public static Month Earliest { get; } = new(2020, 1);

    public DateOnly FirstDay => new(Year, Number, 1);

    /// <summary>The first day of the next month: the month's exclusive end.</summary>
    public DateOnly EndDay => FirstDay.AddMonths(1);

    public long StartMicros => Timestamps.StartOfDay(FirstDay);

    public long EndMicros => Timestamps.StartOfDay(EndDay);

    public Month Next => Of(EndDay);

    public static Month Of(DateOnly day) => new(day.Year, day.Month);

    public static Month Of(DateTimeOffset instant) => Of(DateOnly.FromDateTime(instant.UtcDateTime));

    /// <summary>Exactly <c>YYYY-MM</c>, from 2020-01 to 9999-12.</summary>
    public static bool TryParse(string? text, out Month month)
    {
        month = default;
        if (text is not { Length: 7 } || text[4] != '-') return false;
        if (!int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || m is < 1 or > 12) return false;
        month = new Month(y, m);
        return month.CompareTo(Earliest) >= 0;
    }

    /// <summary>Parses a month this service wrote itself; anything else is a bug.</summary>
    public static Month Parse(string? text) => TryParse(text, out var m) ? m : throw new FormatException($"Not a month: '{text}'.");

    public int CompareTo(Month other) => Year != other.Year ? Year.CompareTo(other.Year) : Number.CompareTo(other.Number);

    public static bool operator <(Month a, Month b) => a.CompareTo(b) < 0;
    public static bool operator >(Month a, Month b) => a.CompareTo(b) > 0;
    public static bool operator <=(Month a, Month b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Month a, Month b) => a.CompareTo(b) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Number:D2}");
}
