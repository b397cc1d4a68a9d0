namespace Beacon.Storage.Stores;

/// <summary>What the fleet view shows of a deployment's org, kept on the deployment's record: its name, and the workspace usage without one shows in ("" when the org has none yet).</summary>
public sealed record DeploymentOrg(string Name, string DefaultWorkspaceId);
