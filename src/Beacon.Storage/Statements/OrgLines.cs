using Beacon.Domain.Credentials;
using Beacon.Domain.Statements;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Statements;

/// <summary>
/// An org's month totals as statement lines: the org's name, and each line's plan (its license's, or for usage
/// reported with an API key the org's current plan). One rule for the close and for the open lines the rollup keeps.
/// </summary>
public sealed class OrgLines(CredentialStore credentials, TimeProvider time)
{
    public async Task<IReadOnlyList<StatementLine>> OfAsync(Organization org, IReadOnlyDictionary<LineId, MeterTotals> totals, DateOnly through, CancellationToken ct)
    {
        if (totals.Count == 0) return [];
        var licenses = (await credentials.ListLicensesAsync(org.OrgId, ct)).ToDictionary(l => l.LicenseId, StringComparer.Ordinal);
        var orgPlan = LicenseRecord.CurrentPlan(licenses.Values, time.GetUtcNow());
        return [.. totals.OrderBy(kv => kv.Key).Select(kv => new StatementLine(new LineKey(org.OrgId, kv.Key), org.Name,
            kv.Key.LicenseId.Length == 0 ? orgPlan : licenses.GetValueOrDefault(kv.Key.LicenseId)?.Plan, kv.Value) { Through = through })];
    }
}
