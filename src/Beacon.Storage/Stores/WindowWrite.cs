using Beacon.Domain.Usage;

namespace Beacon.Storage.Stores;

/// <summary>
/// What storing a usage window did, and how much it added to the stored runs and nodes (the whole
/// window when inserted, the difference when it superseded a copy, zero when ignored). The added
/// amounts feed the fleet view's indicators; billed numbers are always read from the windows themselves.
/// </summary>
public sealed record WindowWrite(SupersedeOutcome Outcome, long RunsAdded, long NodesAdded);
