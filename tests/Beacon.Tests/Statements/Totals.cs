using System.Globalization;

namespace Beacon.Tests.Statements;

/// <summary>
/// A statement line's totals by meter name, as the tests compute or read them: the tests' own type, so the
/// expected numbers come from no production arithmetic. Equal when every meter's value is equal.
/// </summary>
public sealed class Totals : IEquatable<Totals>
{
    /// <summary>The statement columns of SPEC §13–§14, in order.</summary>
    public static readonly string[] Meters = ["agent_runs", "nodes_executed", "agent_uptime_seconds", "standby_minutes", "traces_longlived", "traces_shortlived"];

    private readonly SortedDictionary<string, long> _values = new(StringComparer.Ordinal);

    public static Totals Zero => new();

    public long this[string meter] => _values.GetValueOrDefault(meter);

    public Totals Plus(string meter, long delta)
    {
        var t = new Totals();
        foreach (var (k, v) in _values) t._values[k] = v;
        t._values[meter] = this[meter] + delta;
        return t;
    }

    public bool IsZero => _values.Values.All(v => v == 0);

    public bool Equals(Totals? other) => other is not null && Meters.Concat(_values.Keys).Concat(other._values.Keys).All(m => this[m] == other[m]);

    public override bool Equals(object? obj) => Equals(obj as Totals);

    public override int GetHashCode() => Meters.Aggregate(0, (h, m) => HashCode.Combine(h, this[m]));

    public override string ToString() => string.Join(",", Meters.Select(m => $"{m}={this[m].ToString(CultureInfo.InvariantCulture)}"));
}
