namespace Beacon.Testing;

/// <summary>Real time plus an offset the test controls: expiries and "today" become deterministic enough to test.</summary>
public sealed class ShiftableClock : TimeProvider
{
    private long _offsetTicks;
    private long? _frozenTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Shift(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public void Reset()
    {
        Interlocked.Exchange(ref _offsetTicks, 0);
        _frozenTicks = null;
    }

    /// <summary>Stops the clock at <paramref name="at"/> until <see cref="Reset"/>.</summary>
    public void Freeze(DateTimeOffset at) => _frozenTicks = at.UtcTicks;

    public override DateTimeOffset GetUtcNow() =>
        _frozenTicks is { } f ? new DateTimeOffset(f, TimeSpan.Zero) : base.GetUtcNow() + Offset;
}
