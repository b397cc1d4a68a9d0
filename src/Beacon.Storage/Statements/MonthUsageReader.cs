using Beacon.Domain.Meters;
using Beacon.Domain.Query;
using Beacon.Domain.Statements;
using Beacon.Domain.Usage;
using Beacon.Storage.Query;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Statements;

/// <summary>
/// An org's usage of one month, live, from the same cells and the same rollup-or-raw choice as the granular
/// usage API (<see cref="UsageCellReader"/>), read in daily blocks: statements round uptime per day.
/// </summary>
public sealed class MonthUsageReader(UsageCellReader reader, MeterCatalog catalog)
{
    /// <summary>Totals per statement line (license and source; empty license = reported with an API key only) for the days of <paramref name="month"/>.</summary>
    public Task<IReadOnlyDictionary<LineId, MeterTotals>> ReadAsync(Organization org, Month month, CancellationToken ct = default) =>
        ReadThroughAsync(org, month, month.EndDay.AddDays(-1), ct);

    /// <summary>As <see cref="ReadAsync"/>, for the month's days up to and including <paramref name="through"/> (none when it is before the month).</summary>
    public async Task<IReadOnlyDictionary<LineId, MeterTotals>> ReadThroughAsync(Organization org, Month month, DateOnly through, CancellationToken ct = default)
    {
        var byLine = MonthUsage.ByLine(catalog);
        var end = through < month.EndDay ? through.AddDays(1) : month.EndDay;
        if (end > month.FirstDay) await ReadIntoAsync(org, month.FirstDay, end, [byLine.Add], ct);
        return byLine.Totals();
    }

    /// <summary>
    /// One license's month: its totals (its statement lines of both sources together) and its totals per
    /// deployment (workspace and project, keyed by <see cref="DeploymentOf"/>), in one read.
    /// </summary>
    public async Task<(MeterTotals License, IReadOnlyDictionary<string, MeterTotals> Deployments)> ReadLicenseAsync(
        Organization org, string licenseId, Month month, CancellationToken ct = default)
    {
        var license = new MonthUsage<string>(catalog, k => k.LicenseId == licenseId, k => k.LicenseId);
        var deployments = new MonthUsage<string>(catalog, k => k.LicenseId == licenseId, DeploymentOf);
        await ReadIntoAsync(org, month.FirstDay, month.EndDay, [license.Add, deployments.Add], ct);
        return (license.Totals().GetValueOrDefault(licenseId) ?? MeterTotals.Zero(catalog), deployments.Totals());
    }

    /// <summary>A deployment's key in <see cref="ReadLicenseAsync"/>: workspace and project.</summary>
    public static string DeploymentOf(CellKey key) => key.WorkspaceId + "|" + key.ProjectId;

    private async Task ReadIntoAsync(Organization org, DateOnly from, DateOnly to, IReadOnlyList<Action<DateOnly, UsageCell>> usages, CancellationToken ct)
    {
        var defaultWorkspace = new DefaultWorkspace(org.DefaultWorkspaceId ?? DefaultWorkspace.Unassigned);
        var coverage = await reader.GetCoverageAsync(org.OrgId, defaultWorkspace, ct);
        foreach (var kind in Enum.GetValues<UsageKind>())
            await foreach (var (day, cell) in reader.ReadAsync(org.OrgId, kind, from, to, coverage, BlockSize.Day, defaultWorkspace, null, ct))
                foreach (var add in usages) add(day, cell);
    }
}
