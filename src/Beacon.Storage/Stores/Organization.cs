namespace Beacon.Storage.Stores;

/// <summary>A customer organization: everything else is scoped to one.</summary>
public sealed record Organization(string OrgId, string Name, DateOnly CreatedDay);
