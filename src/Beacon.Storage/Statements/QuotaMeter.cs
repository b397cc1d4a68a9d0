using Beacon.Domain.Credentials;
using Beacon.Domain.Meters;
using Beacon.Domain.Quotas;
using Beacon.Domain.Statements;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Statements;

/// <summary>
/// Where a license's quotas stand this UTC month, from the same live totals as its statement line (so
/// a quota's <c>used</c> is the line's number, summed over the meters the quota counts). Only licenses
/// with quotas cost a read.
/// </summary>
public sealed class QuotaMeter(MonthUsageReader usage, DirectoryStore directory, MeterCatalog catalog, TimeProvider time)
{
    public async Task<IReadOnlyList<QuotaStatus>> EvaluateAsync(LicenseRecord license, CancellationToken ct = default) =>
        license.Quotas.Count == 0 ? [] : Evaluate(license, await ReadOrgAsync(license.OrgId, ct));

    /// <summary>The current month's totals per statement line of one org: read once, evaluate many licenses.</summary>
    public async Task<IReadOnlyDictionary<LineId, MeterTotals>> ReadOrgAsync(string orgId, CancellationToken ct = default) =>
        await directory.GetOrgAsync(orgId, ct) is { } org ? await usage.ReadAsync(org, Month.Of(time.GetUtcNow()), ct) : new Dictionary<LineId, MeterTotals>();

    /// <summary>A quota counts the license's usage of every source: metered and self-reported alike (SPEC §17).</summary>
    public IReadOnlyList<QuotaStatus> Evaluate(LicenseRecord license, IReadOnlyDictionary<LineId, MeterTotals> orgTotals)
    {
        var now = time.GetUtcNow();
        var totals = MeterTotals.Empty;
        foreach (var source in Enum.GetValues<UsageSource>())
            if (orgTotals.GetValueOrDefault(new LineId(license.LicenseId, source)) is { } t)
                foreach (var m in t.Meters) totals = totals.Plus(m, t.Get(m));
        return [.. license.Quotas.Select(q => QuotaStatus.Evaluate(q, QuotaStatus.UsedOf(catalog, q.Metric, totals), Month.Of(now), Timestamps.FromDateTimeOffset(now)))];
    }
}
