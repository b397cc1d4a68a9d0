using Beacon.Domain.Meters;

namespace Beacon.Domain.Statements;

/// <summary>
/// A statement line's billed totals, by meter name. A line frozen before a meter existed has no value for
/// it (<see cref="Has"/> is false): the invoice never billed it, so it is shown as null and late usage is
/// not reconciled for it. 128-bit like every usage sum.
/// </summary>
public sealed class MeterTotals : IEquatable<MeterTotals>
{
    private readonly SortedDictionary<string, Int128> _values;

    private MeterTotals(SortedDictionary<string, Int128> values) => _values = values;

    public static MeterTotals Empty { get; } = new(new SortedDictionary<string, Int128>(StringComparer.Ordinal));

    /// <summary>Zero for every meter of <paramref name="catalog"/>.</summary>
    public static MeterTotals Zero(MeterCatalog catalog) => Of(catalog.Meters.Select(m => (m.Name, (Int128)0)));

    public static MeterTotals Of(IEnumerable<(string Meter, Int128 Value)> values)
    {
        var d = new SortedDictionary<string, Int128>(StringComparer.Ordinal);
        foreach (var (m, v) in values) d[m] = v;
        return new MeterTotals(d);
    }

    public IEnumerable<string> Meters => _values.Keys;

    public bool Has(string meter) => _values.ContainsKey(meter);

    /// <summary>The value of <paramref name="meter"/>; zero when the line has none.</summary>
    public Int128 Get(string meter) => _values.GetValueOrDefault(meter);

    /// <summary>The value of <paramref name="meter"/>, or null when the line has none.</summary>
    public Int128? Find(string meter) => _values.TryGetValue(meter, out var v) ? v : null;

    public MeterTotals Plus(string meter, Int128 delta)
    {
        var d = new SortedDictionary<string, Int128>(_values, StringComparer.Ordinal) { [meter] = checked(Get(meter) + delta) };
        return new MeterTotals(d);
    }

    public bool IsZero => _values.Values.All(v => v == 0);

    public bool Equals(MeterTotals? other) => other is not null && _values.Count == other._values.Count && _values.All(kv => other.Find(kv.Key) == kv.Value);

    public override bool Equals(object? obj) => Equals(obj as MeterTotals);

    public override int GetHashCode() => _values.Aggregate(0, (h, kv) => HashCode.Combine(h, kv.Key, kv.Value));

    public override string ToString() => string.Join(",", _values.Select(kv => $"{kv.Key}={kv.Value}"));
}
