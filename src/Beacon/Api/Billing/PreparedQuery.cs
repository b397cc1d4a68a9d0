using Beacon.Domain.Query;
using Beacon.Storage.Query;

namespace Beacon.Api.Billing;

/// <summary>An authorized usage query with what answering it needs: the org, dimension names, rollup coverage and the default workspace.</summary>
internal sealed record PreparedQuery(string OrgId, UsageQuery Query, DimensionNames Names, RollupCoverage Coverage, DefaultWorkspace DefaultWorkspace);
