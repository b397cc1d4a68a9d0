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
        s.Month.ToString(), s.Closed ? "closed" : "open", s.ClosedAt,
        [.. s.Lines.Select(l => new StatementLineView(l.Key.OrgId, l.OrgName, l.Key.LicenseId.Length == 0 ? null : l.Key.LicenseId, l.Plan,
            UsageNames.Of(l.Key.Source), l.Key.Source == UsageSource.SelfReported)
        {
            Meters = catalog.Meters.ToDictionary(m => m.Name, m => (object?)l.Totals.Find(m.Name)),
        })],
        [.. s.Adjustments.Select(a => Of(a, orgNames.GetValueOrDefault(a.OrgId, "")))]);

    /// <summary>
    /// The names of the orgs a statement's adjustments belong to: from its lines, and one point read for each
    /// org that has only adjustments on it (never a listing of every org).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>> OrgNamesAsync(Statement s, DirectoryStore directory, CancellationToken ct)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var l in s.Lines) names.TryAdd(l.Key.OrgId, l.OrgName);
        foreach (var orgId in s.Adjustments.Select(a => a.OrgId).Distinct(StringComparer.Ordinal).Where(id => !names.ContainsKey(id)).ToList())
            names[orgId] = (await directory.GetOrgAsync(orgId, ct))?.Name ?? "";
        return names;
    }

    public static AdjustmentView Of(StoredAdjustment a, string orgName) => new(
        a.Id, a.OrgId, orgName, a.LicenseId, a.Metric, a.Delta, a.ForMonth.ToString(), a.RecordedInMonth.ToString(), a.Reason, a.RecordedAt, a.Actor,
        UsageNames.Of(a.Source));
}
