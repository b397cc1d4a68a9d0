using Beacon.Domain.Fleet;

namespace Beacon.Storage.Stores;

/// <summary>A deployment as the fleet view stores it: who reports, where, and its <see cref="DeploymentActivity"/>.</summary>
public sealed record StoredDeployment(string OrgId, DeploymentKey Key, DeploymentActivity Activity);
