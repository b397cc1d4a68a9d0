namespace Beacon.Storage.Stores;

/// <summary>How many deployments or licenses of a scope are in each reporting state, as maintained at write time.</summary>
public sealed record FleetCounts(long Reporting, long Silent, long Never);
