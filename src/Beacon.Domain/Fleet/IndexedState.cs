namespace Beacon.Domain.Fleet;

/// <summary>
/// The reporting state a fleet index lists a deployment (or license) under, kept on the record itself so
/// that a state change is decided once, in the record's own conditional write: <see cref="Seq"/> counts the
/// changes, <see cref="From"/> is the state before the latest one, and <see cref="Applied"/> is the latest
/// change the index and its counters are known to reflect. A change not yet applied (a crash between the
/// record and its index) is applied again by the next writer; applying is idempotent per <see cref="Seq"/>.
/// </summary>
public sealed record IndexedState(string State, string From, long Seq, long Applied)
{
    /// <summary>Not in any index yet (a record written before the index existed, or a new one).</summary>
    public static readonly IndexedState None = new("", "", 0, 0);

    public bool Pending => Applied < Seq;

    /// <summary>The same state, or a new change to <paramref name="state"/>.</summary>
    public IndexedState MoveTo(string state) =>
        state == State ? this : new IndexedState(state, State, Seq + 1, Applied);
}
