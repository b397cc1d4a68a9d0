using Beacon.Domain.Query;
using Beacon.Storage.Exports;
using Beacon.Storage.Query;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Rollups;

/// <summary>
/// Precomputes, per org and kind, daily cells and calendar-aligned ISO-week and month cells, then
/// stages the dashboard-preset exports. One run at a time across instances (a blob lease).
///
/// Why it is exact: progress says which days are covered, and it only moves after the cells are
/// written; a day that changes after it was covered is marked dirty by the writer *before* the write,
/// queries read a dirty day raw, and the mark is cleared only after a run has recomputed the day from
/// data it was guaranteed to see (see <see cref="RollupOptions.Grace"/>). Why it is resumable: every
/// step is a pure recomputation from raw records; progress is saved after each chunk (a month), and
/// marks are cleared only at the very end, so a crashed run is simply redone by the next.
/// </summary>
public sealed class RollupJob(DirectoryStore directory, DirtyDayStore dirty, RollupStore rollups, UsageQueryEngine engine, StagedExports staging, Tables tables, RollupOptions options, TimeProvider time)
{
    private static readonly UsageKind[] Kinds = [UsageKind.Traces, UsageKind.Deployments];

    /// <summary>Called after each saved chunk; tests use it to simulate a crash part-way.</summary>
    public Func<string, CancellationToken, Task>? AfterChunk { get; set; }

    /// <param name="now">The time the run acts as of (defaults to the clock); <c>beacon rollup --now</c>.</param>
    /// <param name="onlyOrg">Roll up one organization (tests, support); null = all.</param>
    public async Task<RollupReport> RunAsync(DateTimeOffset? now = null, string? onlyOrg = null, CancellationToken ct = default)
    {
        var at = now ?? time.GetUtcNow();
        await using var lease = await BlobLease.TryAcquireAsync(tables.Locks, "rollup", options.LeaseDuration, ct);
        if (lease is null) return RollupReport.Skipped(at, "Another rollup run holds the lease.");
        using var work = CancellationTokenSource.CreateLinkedTokenSource(ct, lease.Lost);

        var reports = new List<OrgRollupReport>();
        var orgs = onlyOrg is not null
            ? [await directory.GetOrgAsync(onlyOrg, work.Token) ?? throw new ArgumentException($"No organization {onlyOrg}.", nameof(onlyOrg))]
            : await directory.ListOrgsAsync(work.Token).ToListAsync(work.Token);
        foreach (var org in orgs) reports.Add(await RollupOrgAsync(org, at, work.Token));
        return new RollupReport(true, null, at, reports);
    }

    private async Task<OrgRollupReport> RollupOrgAsync(Organization org, DateTimeOffset now, CancellationToken ct)
    {
        var startedAt = time.GetUtcNow();
        var lastClosed = DateOnly.FromDateTime((now - options.Grace).UtcDateTime).AddDays(-1);
        var marks = await dirty.ListAsync(org.OrgId, ct);
        var counts = new Counts();

        var progress = await rollups.GetProgressAsync(org.OrgId, ct);
        if (progress is null)
        {
            var start = Align(Min(org.CreatedDay, lastClosed.AddDays(1)));
            progress = await SaveAsync(org.OrgId, new RollupProgress(start, start.AddDays(-1), 0, null, 0, default), null, ct);
        }

        // 1. Days already covered that changed since: recompute them and the weeks and months around them.
        var covered = (From: progress.FirstDay, Through: Min(progress.RolledThrough, lastClosed));
        var dirtyDays = marks.SelectMany(m => Days(Max(m.First, covered.From), Min(m.Last, covered.Through))).Distinct().Order().ToList();
        foreach (var (from, to) in Runs(dirtyDays))
            await RecomputeAsync(org.OrgId, from, to, progress.FirstDay, progress.RolledThrough, counts, ct);
        if (dirtyDays.Count > 0)
            progress = await SaveAsync(org.OrgId, progress with { Epoch = progress.Epoch + 1 }, progress, ct);

        // 2. Late data before the covered range: extend it backwards, a month at a time.
        var earliest = marks.Count > 0 ? marks.Min(m => m.First) : progress.FirstDay;
        var target = earliest < progress.FirstDay ? Align(earliest) : progress.FirstDay;
        while (progress.FirstDay > target)
        {
            var chunkStart = Max(target, Align(progress.FirstDay.AddDays(-1)));
            await RecomputeAsync(org.OrgId, chunkStart, progress.FirstDay, chunkStart, progress.RolledThrough, counts, ct);
            progress = await SaveAsync(org.OrgId, progress with { FirstDay = chunkStart, Epoch = progress.Epoch + 1 }, progress, ct);
            if (AfterChunk is not null) await AfterChunk(org.OrgId, ct);
        }

        // 3. Days that closed since the last run: advance, a calendar month at a time.
        while (progress.RolledThrough < lastClosed)
        {
            var next = progress.RolledThrough.AddDays(1);
            var chunkEnd = Min(lastClosed, new DateOnly(next.Year, next.Month, 1).AddMonths(1).AddDays(-1));
            await RecomputeAsync(org.OrgId, next, chunkEnd.AddDays(1), progress.FirstDay, chunkEnd, counts, ct);
            progress = await SaveAsync(org.OrgId, progress with { RolledThrough = chunkEnd, Epoch = progress.Epoch + 1 }, progress, ct);
            if (AfterChunk is not null) await AfterChunk(org.OrgId, ct);
        }

        // 4. Stage the preset exports when the data or the presets' end changed. Marks are still in
        //    place here, so any day they cover is read raw: the staged file is exact either way.
        var presetEnd = lastClosed.AddDays(1);
        if (options.StageExports && (progress.StagedEnd != presetEnd || progress.StagedEpoch != progress.Epoch))
        {
            counts.Staged = await staging.StageAsync(org.OrgId, presetEnd, progress.Epoch, new RollupCoverage(progress, marks), ct);
            progress = await SaveAsync(org.OrgId, progress with { StagedEnd = presetEnd, StagedEpoch = progress.Epoch }, progress, ct);
        }

        // 5. Clear the marks this run has accounted for: only those old enough that the data they
        //    announced was written before this run read it, and unchanged since they were listed.
        foreach (var mark in marks.Where(m => m.MarkedAt < startedAt - options.Grace))
            if (await dirty.ClearAsync(org.OrgId, mark, ct)) counts.Cleared++;

        return new OrgRollupReport(org.OrgId, counts.Days, counts.Weeks, counts.Months, counts.Staged, counts.Cleared,
            progress.FirstDay, progress.RolledThrough, progress.Epoch);
    }

    /// <summary>
    /// Recomputes days [<paramref name="from"/>, <paramref name="to"/>) from raw records, then every ISO
    /// week and calendar month that overlaps them and lies inside the covered range
    /// [<paramref name="coverFrom"/>, <paramref name="coverThrough"/>], from the daily cells.
    /// </summary>
    private async Task RecomputeAsync(string orgId, DateOnly from, DateOnly to, DateOnly coverFrom, DateOnly coverThrough, Counts counts, CancellationToken ct)
    {
        var coverEnd = coverThrough.AddDays(1);
        var weeks = BlocksOverlapping(from, to, Block.WeekOf).Where(b => b.Start >= coverFrom && b.End <= coverEnd).ToList();
        var months = BlocksOverlapping(from, to, Block.MonthOf).Where(b => b.Start >= coverFrom && b.End <= coverEnd).ToList();
        foreach (var kind in Kinds)
        {
            var byDay = new Dictionary<DateOnly, Dictionary<(string, string, string, string, TraceTier?), UsageCell>>();
            await foreach (var (day, cell) in engine.ReadRawAsync(orgId, kind, from, to, ct)) Add(byDay, day, cell);
            await rollups.ReplacePeriodsAsync(orgId, kind, BlockSize.Day, from, to, Lists(byDay), ct);
            await ComposeAsync(orgId, kind, weeks, ct);
            await ComposeAsync(orgId, kind, months, ct);
        }
        counts.Days += to.DayNumber - from.DayNumber;
        counts.Weeks += weeks.Count;
        counts.Months += months.Count;
    }

    /// <summary>Sums daily cells into the given (consecutive) weeks or months.</summary>
    private async Task ComposeAsync(string orgId, UsageKind kind, List<Block> blocks, CancellationToken ct)
    {
        if (blocks.Count == 0) return;
        var from = blocks[0].Start;
        var to = blocks[^1].End;
        var size = blocks[0].Size;
        var byPeriod = new Dictionary<DateOnly, Dictionary<(string, string, string, string, TraceTier?), UsageCell>>();
        await foreach (var (day, cell) in rollups.ReadCellsAsync(orgId, kind, BlockSize.Day, from, to, null, ct))
            Add(byPeriod, size == BlockSize.Week ? Block.WeekOf(day).Start : Block.MonthOf(day).Start, cell);
        await rollups.ReplacePeriodsAsync(orgId, kind, size, from, to, Lists(byPeriod), ct);
    }

    private static void Add(Dictionary<DateOnly, Dictionary<(string, string, string, string, TraceTier?), UsageCell>> into, DateOnly period, UsageCell cell)
    {
        if (!into.TryGetValue(period, out var cells)) into[period] = cells = [];
        cells[cell.Key] = cells.TryGetValue(cell.Key, out var sum) ? sum.Plus(cell) : cell;
    }

    private static Dictionary<DateOnly, List<UsageCell>> Lists(Dictionary<DateOnly, Dictionary<(string, string, string, string, TraceTier?), UsageCell>> cells) =>
        cells.ToDictionary(kv => kv.Key, kv => kv.Value.Values.ToList());

    private async Task<RollupProgress> SaveAsync(string orgId, RollupProgress next, RollupProgress? previous, CancellationToken ct) =>
        await rollups.TrySaveProgressAsync(orgId, next, previous, ct)
        ?? throw new StorageContentionException($"Rollup progress of org {orgId} changed under this run; the next run will redo the work.");

    /// <summary>The Monday on or before the first of <paramref name="day"/>'s month: where coverage may start,
    /// so that the first week and the first month inside coverage are whole.</summary>
    internal static DateOnly Align(DateOnly day)
    {
        var first = new DateOnly(day.Year, day.Month, 1);
        return first.AddDays(-Block.DaysSinceMonday(first));
    }

    private static IEnumerable<Block> BlocksOverlapping(DateOnly from, DateOnly to, Func<DateOnly, Block> blockOf)
    {
        for (var b = blockOf(from); b.Start < to; b = blockOf(b.End)) yield return b;
    }

    private static IEnumerable<DateOnly> Days(DateOnly first, DateOnly last)
    {
        for (var d = first; d <= last; d = d.AddDays(1)) yield return d;
    }

    private static IEnumerable<(DateOnly From, DateOnly To)> Runs(List<DateOnly> days)
    {
        for (int i = 0; i < days.Count;)
        {
            int j = i;
            while (j + 1 < days.Count && days[j + 1] == days[j].AddDays(1)) j++;
            yield return (days[i], days[j].AddDays(1));
            i = j + 1;
        }
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private sealed class Counts
    {
        public int Days;
        public int Weeks;
        public int Months;
        public int Staged;
        public int Cleared;
    }
}
