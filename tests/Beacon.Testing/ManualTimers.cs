namespace Beacon.Testing;

/// <summary>
/// A clock whose timers fire only when the test says so (<see cref="Fire"/>); the time itself is another clock's. For
/// placing a deadline at an exact point of a request instead of sleeping past it.
/// </summary>
public sealed class ManualTimers(TimeProvider clock) : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(callback, state, dueTime);
        lock (_timers) _timers.Add(timer);
        return timer;
    }

    /// <summary>Fires, once, every live timer set to <paramref name="due"/> from its creation. Returns how many fired.</summary>
    public int Fire(TimeSpan due)
    {
        List<ManualTimer> due_;
        lock (_timers) due_ = [.. _timers.Where(t => t.Due == due && !t.Disposed)];
        foreach (var t in due_) t.Fire();
        return due_.Count;
    }

    private sealed class ManualTimer(TimerCallback callback, object? state, TimeSpan due) : ITimer
    {
        public TimeSpan Due { get; private set; } = due;
        public bool Disposed { get; private set; }

        public void Fire()
        {
            Disposed = true;
            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Due = dueTime;
            return !Disposed;
        }

        public void Dispose() => Disposed = true;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
