using Beacon.Domain.Fleet;

namespace Beacon.Storage.Stores;

/// <summary>
/// A deployment as the fleet view stores it: who reports, where, and its <see cref="DeploymentActivity"/>,
/// with its org's facts as of its last merge (null for a record written before records carried them).
/// </summary>
public sealed record StoredDeployment(string OrgId, DeploymentKey Key, DeploymentActivity Activity, DeploymentOrg? Org = null);
