using Beacon.Storage.Stores;

namespace Beacon.Api.Operator;

/// <summary>How many licenses or deployments of a listing's scope are in each state, maintained as they change (never counted per request).</summary>
internal sealed record StateCounts(long Reporting, long Silent, long Never)
{
    public static StateCounts Of(FleetCounts c) => new(c.Reporting, c.Silent, c.Never);
}
