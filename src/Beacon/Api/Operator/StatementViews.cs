using Beacon.Domain.Meters;
using Beacon.Domain.Usage;
using Beacon.Storage.Statements;
using Beacon.Storage.Stores;

namespace Beacon.Api.Operator;

/// <summary>Statements and adjustments as the operator API shows them: meter columns from the catalog.</summary>
internal static class StatementViews
{
    /// <param name="orgNames">The name of every org with an adjustment on the statement (see <see cref="OrgNamesAsync"/>).</param>
    public static StatementView Of(Statement s, MeterCatalog catalog, IReadOnlyDictionary<string, string> orgNames) => new(
        s.Month.ToString(), s.Closed ? "closed" : "open", s.ClosedAt, [.. s.Lines.Select(l => Of(l, catalog))],
        [.. s.Adjustments.Select(a => Of(a, orgNames.GetValueOrDefault(a.OrgId, "")))])
    {
        Totals = Of(LineSummary.Of(s.Lines), catalog),
    };

    public static StatementView Of(StatementPage p, MeterCatalog catalog, IReadOnlyDictionary<string, string> orgNames) => new(
        p.Month.ToString(), p.Closed ? "closed" : "open", p.ClosedAt, [.. p.Lines.Lines.Select(l => Of(l, catalog))],
        [.. p.Adjustments.Select(a => Of(a, orgNames.GetValueOrDefault(a.OrgId, "")))])
    {
        NextCursor = p.Lines.Next?.Encode(),
        Totals = Of(p.Summary, catalog),
    };

    private static StatementLineView Of(StatementLine l, MeterCatalog catalog) =>
        new(l.Key.OrgId, l.OrgName, l.Key.LicenseId.Length == 0 ? null : l.Key.LicenseId, l.Plan, UsageNames.Of(l.Key.Source), l.Key.Source == UsageSource.SelfReported)
        {
            Through = l.Through?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Meters = catalog.Meters.ToDictionary(m => m.Name, m => (object?)l.Totals.Find(m.Name)),
        };

    private static StatementTotals Of(LineSummary s, MeterCatalog catalog) =>
        new(s.Lines) { Meters = catalog.Meters.ToDictionary(m => m.Name, m => (object?)(s.Lines == 0 ? 0 : s.Totals.Find(m.Name))) };

    /// <summary>
    /// The names of the orgs whose adjustments are shown: from the lines at hand, and one point read for each
    /// other org with an adjustment (never a listing of every org).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> OrgNamesAsync(
        IEnumerable<StatementLine> lines, IEnumerable<StoredAdjustment> adjustments, DirectoryStore directory, CancellationToken ct)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var l in lines) names.TryAdd(l.Key.OrgId, l.OrgName);
        foreach (var orgId in adjustments.Select(a => a.OrgId).Distinct(StringComparer.Ordinal).Where(id => !names.ContainsKey(id)).ToList())
            names[orgId] = (await directory.GetOrgAsync(orgId, ct))?.Name ?? "";
        return names;
    }

    public static AdjustmentView Of(StoredAdjustment a, string orgName) => new(
        a.Id, a.OrgId, orgName, a.LicenseId, a.Metric, a.Delta, a.ForMonth.ToString(), a.RecordedInMonth.ToString(), a.Reason, a.RecordedAt, a.Actor,
        UsageNames.Of(a.Source));
}
