using Beacon.Domain.Fleet;

namespace Beacon.Storage.Stores;

/// <summary>One page of a fleet index: the entries in order and where the next page starts (null at the end).</summary>
public sealed record FleetPage(IReadOnlyList<FleetEntry> Entries, PageCursor? Next);
