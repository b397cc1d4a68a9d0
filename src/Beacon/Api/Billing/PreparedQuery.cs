using Beacon.Domain.Query;
using Beacon.Storage.Query;

namespace Beacon.Api.Billing;

/// <summary>An authorized usage query with what answering it needs: the org, dimension names and rollup coverage.</summary>
internal sealed record PreparedQuery(string OrgId, UsageQuery Query, DimensionNames Names, RollupCoverage Coverage);
