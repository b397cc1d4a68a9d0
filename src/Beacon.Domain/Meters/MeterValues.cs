namespace Beacon.Domain.Meters;

/// <summary>
/// A cell's values, one per slot of the catalog (<see cref="MeterCatalog.Slots"/>), in the unit the meter
/// sums in (microseconds for overlap). 128-bit: one report is at most 10^12, so no number of reports can
/// overflow a sum (SPEC §9). Immutable; <see cref="AddTo"/> accumulates without allocating.
/// </summary>
public sealed class MeterValues : IEquatable<MeterValues>
{
    private readonly Int128[] _values;

    public MeterValues(Int128[] values) => _values = values;

    public static MeterValues Zero(int slots) => new(new Int128[slots]);

    public int Count => _values.Length;

    public Int128 this[int slot] => _values[slot];

    public bool IsZero => Array.TrueForAll(_values, v => v == 0);

    public MeterValues Plus(MeterValues other)
    {
        var sum = (Int128[])_values.Clone();
        other.AddTo(sum);
        return new MeterValues(sum);
    }

    public void AddTo(Int128[] accumulator)
    {
        for (int i = 0; i < _values.Length; i++) accumulator[i] = checked(accumulator[i] + _values[i]);
    }

    public bool Equals(MeterValues? other) => other is not null && _values.AsSpan().SequenceEqual(other._values);

    public override bool Equals(object? obj) => Equals(obj as MeterValues);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var v in _values) h.Add(v);
        return h.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(",", _values) + "]";
}
