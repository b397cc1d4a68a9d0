using Beacon.Domain.Credentials;
using Beacon.Domain.Meters;
using Beacon.Domain.Rollups;
using Beacon.Domain.Statements;
using Beacon.Storage.Account;
using Beacon.Storage.Alerts;
using Beacon.Storage.Rollups;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Statements;

/// <summary>
/// Monthly statements (SPEC §13). An open month's lines are computed live from usage; closing a month
/// freezes them. Usage that arrives later for a closed month is found by reconciliation — run for
/// every dirty mark before the rollup job clears it, and before any close — which applies the domain's
/// <see cref="LateUsage"/> rule to the month's live usage and the lines' accounted totals and records the
/// difference as "late usage" adjustments on the first open month, in one transaction with the new
/// accounted totals. So for every
/// closed month, frozen lines + its late-usage adjustments = live usage, and each unit of late usage is
/// recorded exactly once whatever fails or repeats.
/// </summary>
public sealed class StatementLedger(
    StatementStore store, OpenLineStore openLines, MonthUsageReader usage, OrgLines orgLines, DirectoryStore directory, DirtyDayStore dirty,
    MeterCatalog catalog, RollupOptions options, AlertOutbox alerts, TimeProvider time) : ILateUsageReconciler
{
    private const int MaxAttempts = 20;
    private const int Parallelism = 4;

    /// <summary>
    /// A month's whole statement (the CSV export, the answer to a close): a closed month's frozen lines, or an open
    /// month's lines as the rollup keeps them (<see cref="OpenLineMaintainer"/>), in key order, with its adjustments.
    /// </summary>
    public async Task<Statement> GetAsync(Month month, CancellationToken ct = default)
    {
        var row = await store.GetMonthAsync(month, ct);
        var adjustments = await store.ReadAdjustmentsAsync(month, ct).ToListAsync(ct);
        if (row is { Closed: true, CloseId: { } closeId })
        {
            var frozen = await store.ReadLinesAsync(month, closeId, null, ct).Where(l => l.OnStatement).Select(l => l.OnStatementLine(month)).ToListAsync(ct);
            return new Statement(month, true, row.ClosedAt, frozen, adjustments);
        }
        return new Statement(month, false, null, await openLines.ReadAllAsync(month, ct).ToListAsync(ct), adjustments);
    }

    /// <summary>
    /// A page of a month's lines (of one org, or all; SPEC §15) with the whole month's summary and its adjustments:
    /// a key-range read of at most <paramref name="limit"/> + 1 lines, whatever the fleet's size.
    /// </summary>
    public async Task<StatementPage> GetPageAsync(Month month, string? orgId, Domain.Fleet.PageCursor? after, int limit, CancellationToken ct = default)
    {
        var row = await store.GetMonthAsync(month, ct);
        var adjustments = await store.ReadAdjustmentsAsync(month, ct).ToListAsync(ct);
        // One org's totals are its own lines summed (a handful); the fleet's are kept with the month.
        if (row is { Closed: true, CloseId: { } closeId })
            return new StatementPage(month, true, row.ClosedAt, await store.PageLinesAsync(month, closeId, orgId, after, limit, ct),
                orgId is null ? await store.SummaryAsync(row, ct)
                : LineSummary.Of(await store.ReadLinesAsync(month, closeId, orgId, ct).Where(l => l.OnStatement).Select(l => l.OnStatementLine(month)).ToListAsync(ct)),
                adjustments);
        return new StatementPage(month, false, null, await openLines.PageAsync(month, orgId, after, limit, ct),
            orgId is null ? await openLines.SummaryAsync(month, ct) : LineSummary.Of(await openLines.ReadOrgAsync(month, orgId, ct).ToListAsync(ct)),
            adjustments);
    }

    /// <summary>Closes an ended month: reconciles late usage first, then freezes the live lines.</summary>
    public async Task<(CloseOutcome Outcome, string? Reason)> CloseAsync(Month month, string actor, CancellationToken ct = default)
    {
        if (StatementCalendar.WhyNotClosable(month, time.GetUtcNow(), options.Grace) is { } why) return (CloseOutcome.NotEnded, why);
        if ((await store.GetMonthAsync(month, ct))?.Closed == true) return (CloseOutcome.AlreadyClosed, $"The month {month} is already closed.");
        await ReconcileAllAsync(ct);

        var lines = await LiveLinesAsync(month, ct);
        var summary = LineSummary.Of(lines);
        var closeId = Guid.NewGuid().ToString("N");
        await store.WriteLinesAsync(month, closeId, lines, ct);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var row = await store.GetMonthAsync(month, ct);
            if (row?.Closed == true) return row.CloseId == closeId ? (CloseOutcome.Closed, null) : (CloseOutcome.AlreadyClosed, $"The month {month} is already closed.");
            // The row changed only if an adjustment was recorded on this month meanwhile: it stays on it.
            if (await store.TryMarkClosedAsync(month, row, closeId, time.GetUtcNow(), actor, summary, ct)) return (CloseOutcome.Closed, null);
        }
        throw new StorageContentionException($"The month {month} kept changing while it was being closed.");
    }

    /// <summary>Records a manual adjustment on the first open month from <paramref name="adjustment"/>'s month on; returns it as recorded.</summary>
    public async Task<StoredAdjustment> AdjustAsync(string orgId, string? licenseId, string metric, Int128 delta, Month forMonth, string reason, string actor, CancellationToken ct = default)
    {
        var id = Guid.NewGuid().ToString("N");
        var at = time.GetUtcNow();
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var months = await store.ListMonthsAsync(ct);
            var recordedIn = StatementCalendar.RecordingMonth(forMonth, ClosedSet(months));
            var adjustment = new StoredAdjustment(id, orgId, licenseId, metric, delta, forMonth, recordedIn, reason, at, actor);
            if (await store.TryRecordAsync(recordedIn, months.GetValueOrDefault(recordedIn), [adjustment], null, ct)
                || await store.AdjustmentExistsAsync(adjustment, ct)) // committed, answer lost
            {
                await EmitAsync([adjustment], (await directory.GetOrgAsync(orgId, ct))?.Name ?? "", ct);
                return adjustment;
            }
        }
        throw new StorageContentionException("The statements ledger kept changing while the adjustment was being recorded.");
    }

    /// <summary>Reconciles every closed month that a dirty mark of the org touches.</summary>
    public async Task ReconcileAsync(string orgId, IReadOnlyList<DirtyMark> marks, CancellationToken ct)
    {
        if (marks.Count == 0) return;
        var months = await store.ListMonthsAsync(ct);
        var touched = months.Values.Where(m => m.Closed && marks.Any(d => d.Intersects(m.Month.FirstDay, m.Month.EndDay))).Select(m => m.Month).Order().ToList();
        if (touched.Count == 0) return;
        var org = await directory.GetOrgAsync(orgId, ct) ?? throw new InvalidOperationException($"No organization {orgId}.");
        foreach (var m in touched) await ReconcileMonthAsync(org, m, ct);
    }

    private async Task ReconcileAllAsync(CancellationToken ct)
    {
        if (!(await store.ListMonthsAsync(ct)).Values.Any(m => m.Closed)) return;
        await Parallel.ForEachAsync(directory.ListOrgsAsync(ct), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (org, token) => await ReconcileAsync(org.OrgId, [.. (await dirty.ListAsync(org.OrgId, token)).Select(m => m.Mark)], token));
    }

    /// <summary>Live usage of a closed month against its accounted totals: any difference becomes late-usage adjustments.</summary>
    private async Task ReconcileMonthAsync(Organization org, Month month, CancellationToken ct)
    {
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var months = await store.ListMonthsAsync(ct);
            if (months.GetValueOrDefault(month) is not { Closed: true, CloseId: { } closeId }) return;
            var live = await usage.ReadAsync(org, month, ct);
            var lines = await store.ReadLinesAsync(month, closeId, org.OrgId, ct).ToDictionaryAsync(l => l.Key.Line, cancellationToken: ct);
            var recordedIn = StatementCalendar.RecordingMonth(month, ClosedSet(months));
            var at = time.GetUtcNow();
            bool conflict = false;
            foreach (var change in LateUsage.Reconcile(catalog, live, lines.ToDictionary(kv => kv.Key, kv => kv.Value.Accounted)))
            {
                var license = change.Line.LicenseId;
                var adjustments = change.Deltas.Select(d => new StoredAdjustment(Guid.NewGuid().ToString("N"), org.OrgId, license.Length == 0 ? null : license,
                    d.Meter, d.Delta, month, recordedIn, StoredAdjustment.LateUsageReason, at, StoredAdjustment.ReconciliationActor, change.Line.Source)).ToList();
                var recordingRow = months.GetValueOrDefault(recordedIn);
                var line = new LateUsageRecord(month, closeId, new LineKey(org.OrgId, change.Line), lines.GetValueOrDefault(change.Line), change.Accounted);
                if (!await store.TryRecordAsync(recordedIn, recordingRow, adjustments, line, ct))
                {
                    conflict = true;
                    break;
                }
                await EmitAsync(adjustments, org.Name, ct);
                // The recording month's row changed (or now exists): read it again before the next line.
                months = await store.ListMonthsAsync(ct);
            }
            if (!conflict) return;
        }
        throw new StorageContentionException($"The statement of {month} kept changing while late usage was being reconciled.");
    }

    /// <summary>Every org's lines of the whole month, computed now from usage: what a close freezes.</summary>
    private async Task<IReadOnlyList<StatementLine>> LiveLinesAsync(Month month, CancellationToken ct)
    {
        var orgs = await directory.ListOrgsAsync(ct).ToListAsync(ct);
        var lines = new List<StatementLine>();
        await Parallel.ForEachAsync(orgs, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (org, token) =>
        {
            var built = await orgLines.OfAsync(org, await usage.ReadAsync(org, month, token), month.EndDay.AddDays(-1), token);
            lock (lines) lines.AddRange(built);
        });
        return [.. lines.OrderBy(l => LineRows.Suffix(l.Key), StringComparer.Ordinal)];
    }

    /// <summary><c>adjustment.recorded</c> for each adjustment just committed (SPEC §18), with the fields a statement shows.</summary>
    private async Task EmitAsync(IEnumerable<StoredAdjustment> adjustments, string orgName, CancellationToken ct)
    {
        foreach (var a in adjustments)
            await alerts.EmitAsync(AlertEvents.Adjustment(a.Id, a.RecordedAt, new Dictionary<string, object?>
            {
                ["id"] = a.Id, ["org_id"] = a.OrgId, ["org_name"] = orgName, ["license_id"] = a.LicenseId, ["metric"] = a.Metric, ["delta"] = (long)a.Delta,
                ["for_month"] = a.ForMonth.ToString(), ["recorded_in_month"] = a.RecordedInMonth.ToString(), ["reason"] = a.Reason,
                ["recorded_at"] = a.RecordedAt, ["actor"] = a.Actor, ["source"] = Domain.Usage.UsageNames.Of(a.Source),
            }), ct: ct);
    }

    private static HashSet<Month> ClosedSet(IReadOnlyDictionary<Month, StoredMonth> months) => [.. months.Values.Where(m => m.Closed).Select(m => m.Month)];
}
