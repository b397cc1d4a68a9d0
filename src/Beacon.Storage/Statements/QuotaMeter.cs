using Beacon.Domain.Credentials;
using Beacon.Domain.Quotas;
using Beacon.Domain.Statements;
using Beacon.Domain.Time;

namespace Beacon.Storage.Statements;

/// <summary>
/// Where a license's quotas stand this UTC month, from the same live totals as its statement line (so
/// a quota's <c>used</c> is the line's number). Only licenses with quotas cost a read.
/// </summary>
public sealed class QuotaMeter(MonthUsageReader usage, TimeProvider time)
{
    public async Task<IReadOnlyList<QuotaStatus>> EvaluateAsync(LicenseRecord license, CancellationToken ct = default) =>
        license.Quotas.Count == 0 ? [] : Evaluate(license, await ReadOrgAsync(license.OrgId, ct));

    /// <summary>The current month's totals per license of one org: read once, evaluate many licenses.</summary>
    public Task<IReadOnlyDictionary<string, LineTotals>> ReadOrgAsync(string orgId, CancellationToken ct = default) =>
        usage.ReadAsync(orgId, Month.Of(time.GetUtcNow()), ct);

    public IReadOnlyList<QuotaStatus> Evaluate(LicenseRecord license, IReadOnlyDictionary<string, LineTotals> orgTotals)
    {
        var now = time.GetUtcNow();
        var totals = orgTotals.GetValueOrDefault(license.LicenseId, LineTotals.Zero);
        return [.. license.Quotas.Select(q => QuotaStatus.Evaluate(q, QuotaStatus.UsedOf(q.Metric, totals), Month.Of(now), Timestamps.FromDateTimeOffset(now)))];
    }
}
