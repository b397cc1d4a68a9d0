namespace Beacon.Storage.Stores;

/// <summary>What happened when a workspace id was claimed for an org.</summary>
public enum WorkspaceClaim
{
    OwnedByThisOrg,
    OwnedByAnotherOrg,
}
