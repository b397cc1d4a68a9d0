using Beacon.Domain.Meters;
using Beacon.Domain.Statements;
using Beacon.Storage.Rollups;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Statements;

/// <summary>
/// Keeps the lines of open months (SPEC §15) after each org's rollup, so a statement page is a key-range read
/// instead of every org's usage recomputed on each request. An org's lines of a month count the days its
/// rollups cover (through the last closed day), from the same reader as the granular usage API: after a run,
/// lines = that API over [month start, through]. Only what the run changed is read again: the months of the
/// days it recomputed, or, when the lines were not current before the run (a first run, a run that stopped
/// before this step, an org whose cells started over, a catalog with other meters), every open month the org's
/// rollups cover.
/// </summary>
public sealed class OpenLineMaintainer(
    OpenLineStore lines, StatementStore ledger, MonthUsageReader usage, OrgLines orgLines, MeterCatalog catalog, RollupOptions options, TimeProvider time)
{
    private readonly string _meters = string.Join(",", catalog.Meters.Select(m => m.Name));

    /// <summary>Refreshes the org's open lines after its rollup; returns how many months were read again.</summary>
    public async Task<int> RefreshAsync(Organization org, RollupProgress progress, RollupChange? change, CancellationToken ct)
    {
        var mark = await lines.GetMarkAsync(org.OrgId, ct);
        if (mark == (progress.Epoch, progress.RolledThrough, _meters) || progress.Outdated) return 0;
        var through = progress.RolledThrough;
        IEnumerable<Month> months;
        if (mark is { } m && m.Meters == _meters && change is { StartedOver: false } c && c.EpochBefore == m.Epoch)
            months = c.From is { } from && c.To is { } to ? Span(Month.Of(from), Month.Of(to.AddDays(-1))) : [];
        else
            months = through >= progress.FirstDay ? Span(Month.Of(progress.FirstDay), Month.Of(through)) : [];

        // Each month is a pure recomputation, retried like a rollup step when storage faults outlast the SDK's retries.
        var closed = await StepRetries.RunAsync(async () => (await ledger.ListMonthsAsync(ct)).Values.Where(s => s.Closed).Select(s => s.Month).ToHashSet(), options, time, ct);
        int read = 0;
        foreach (var month in months.Where(x => !closed.Contains(x) && x.FirstDay <= through))
        {
            await StepRetries.RunAsync(async () =>
            {
                var totals = await usage.ReadThroughAsync(org, month, through, ct);
                await lines.ReplaceOrgLinesAsync(month, org.OrgId, await orgLines.OfAsync(org, totals, Min(through, month.EndDay.AddDays(-1)), ct), ct);
                return true;
            }, options, time, ct);
            read++;
        }
        await StepRetries.RunAsync(async () => { await lines.SaveMarkAsync(org.OrgId, progress.Epoch, through, _meters, ct); return true; }, options, time, ct);
        return read;
    }

    /// <summary>
    /// Sums again every month whose lines changed (at the end of a run: one read of each such month's lines). When
    /// storage stays unavailable, the months stay stale and the next run sums them: false.
    /// </summary>
    public async Task<bool> SummarizeAsync(CancellationToken ct)
    {
        try
        {
            await StepRetries.RunAsync(() => lines.SummarizeStaleAsync(ct), options, time, ct);
            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && Account.StorageFaults.IsTransient(e))
        {
            return false;
        }
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static IEnumerable<Month> Span(Month first, Month last)
    {
        for (var m = first; m <= last; m = m.Next) yield return m;
    }
}
