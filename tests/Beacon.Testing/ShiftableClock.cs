namespace Beacon.Testing;

/// <summary>Real time plus an offset the test controls: expiries and "today" become deterministic enough to test.</summary>
public sealed class ShiftableClock : TimeProvider
{
    private long _offsetTicks;
    private long? _frozenTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Shift(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <summary>Shifts the clock by <paramref name="by"/> until the returned scope is disposed, then shifts it back (other offsets stay).</summary>
    public IDisposable ShiftFor(TimeSpan by)
    {
        Shift(by);
        return new ShiftBack(this, by);
    }

    private sealed class ShiftBack(ShiftableClock clock, TimeSpan by) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) clock.Shift(-by);
        }
    }

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
