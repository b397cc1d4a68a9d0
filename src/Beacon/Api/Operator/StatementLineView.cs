using System.Text.Json.Serialization;

namespace Beacon.Api.Operator;

/// <summary>
/// One statement line: an org and license (null for usage reported with an API key only), the usage's
/// source (<c>metered</c> or <c>self_reported</c>, SPEC §17; a self-reported line's standby minutes are
/// derived from its uptime, <c>standby_derived</c>), then one field per meter of the catalog, in its order
/// (null for a meter the line was closed without: it did not exist yet). <c>through</c> is the last day counted:
/// an open month's lines are as of the last rollup (the last day that is over), a closed month's its last day.
/// </summary>
internal sealed record StatementLineView(string OrgId, string OrgName, string? LicenseId, string? Plan, string Source, bool StandbyDerived)
{
    public string? Through { get; init; }

    [JsonExtensionData]
    public Dictionary<string, object?> Meters { get; set; } = []; // settable: generated JSON metadata cannot bind extension data through init
}
