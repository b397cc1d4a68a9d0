namespace Beacon.Storage.Stores;

/// <summary>One entry of a fleet index: the org, the record's row key (a deployment's, or a license id) and the state it is listed under.</summary>
public sealed record FleetEntry(string OrgId, string Row, string State);
