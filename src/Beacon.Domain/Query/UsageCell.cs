namespace Beacon.Domain.Query;

/// <summary>
/// The finest grain of aggregated usage: totals for one combination of every dimension over some
/// span of days. Raw records become cells of one day; rollups store cells of days, weeks and months.
/// <see cref="Tier"/> is null for deployment usage. <see cref="LicenseId"/> is the license that reported
/// the usage, empty when it was reported with an API key only (statements bill per license, SPEC §13). Totals are 128-bit: one report is at most 10^12,
/// so no number of reports can overflow a sum (SPEC §9).
/// </summary>
public sealed record UsageCell(
    string WorkspaceId,
    string ProjectId,
    string UserId,
    string ApiKeyShortKey,
    string LicenseId,
    TraceTier? Tier,
    Int128 Traces,
    Int128 Runs,
    Int128 Nodes,
    Int128 UptimeMicros)
{
    public string DimensionValue(GroupBy groupBy) => groupBy switch
    {
        GroupBy.Workspace => WorkspaceId,
        GroupBy.Project => ProjectId,
        GroupBy.User => UserId,
        GroupBy.ApiKey => ApiKeyShortKey,
        GroupBy.License => LicenseId,
        _ => Tier is { } t ? WireNames.Of(t) : "",
    };

    /// <summary>The identity of the cell without its totals: cells with the same key add up.</summary>
    public (string, string, string, string, string, TraceTier?) Key => (WorkspaceId, ProjectId, UserId, ApiKeyShortKey, LicenseId, Tier);

    public UsageCell Plus(UsageCell other) => this with
    {
        Traces = checked(Traces + other.Traces),
        Runs = checked(Runs + other.Runs),
        Nodes = checked(Nodes + other.Nodes),
        UptimeMicros = checked(UptimeMicros + other.UptimeMicros),
    };

    public bool HasUsage => Traces > 0 || Runs > 0 || Nodes > 0 || UptimeMicros > 0;
}
