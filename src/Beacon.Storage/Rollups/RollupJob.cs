using Beacon.Storage.Account;
using Beacon.Domain.Query;
using Beacon.Domain.Rollups;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Rollups;

/// <summary>
/// Carries out one org's <see cref="RollupPlan"/>: for each step, recompute its days from raw records
/// and the ISO weeks and calendar months around them, save progress, then clear the dirty marks the
/// step accounts for. Every step is a pure recomputation and progress is saved after each, so a run
/// that stops anywhere (a crash, a lost lease) is simply planned again by the next. A run does at most
/// <see cref="RollupOptions.MaxStepsPerOrg"/> steps per org, and retries a step that storage faults
/// interrupt (any prefix of a plan is safe to carry out: <see cref="RollupPlan"/>).
/// </summary>
public sealed class RollupJob(RawUsage raw, DirtyDayStore dirty, RollupStore rollups, ILateUsageReconciler lateUsage, RollupOptions options, TimeProvider time)
{
    /// <summary>Called after each saved step; tests use it to simulate a crash part-way.</summary>
    public Func<string, CancellationToken, Task>? AfterStep { get; set; }

    /// <param name="now">The time the run acts as of: which days are over.</param>
    /// <param name="startedAt">When the run started, by the clock: which marks are old enough to clear.</param>
    public async Task<(OrgRollupReport Report, RollupProgress Progress)> RollupOrgAsync(Organization org, DateTimeOffset now, DateTimeOffset startedAt, CancellationToken ct)
    {
        var lastClosed = DateOnly.FromDateTime((now - options.Grace).UtcDateTime).AddDays(-1);
        var marks = await dirty.ListAsync(org.OrgId, ct);
        var progress = await rollups.GetProgressAsync(org.OrgId, ct);
        var defaultWorkspace = new DefaultWorkspace(org.DefaultWorkspaceId ?? DefaultWorkspace.Unassigned);
        var epochBefore = progress?.Epoch;
        var startedOver = false;
        DateOnly? changedFrom = null, changedTo = null;
        if (progress is null || progress.Outdated || progress.DefaultWorkspace != defaultWorkspace.WorkspaceId)
        {
            // A new org, cells of an older layout, or cells counted for another default workspace: start over
            // from nothing covered (queries read raw meanwhile).
            var initial = RollupPlan.Initial(org.CreatedDay, lastClosed);
            progress = await SaveAsync(org.OrgId, new RollupProgress(initial.FirstDay, initial.RolledThrough, (progress?.Epoch ?? -1) + 1, null, 0, default)
            {
                DefaultWorkspace = defaultWorkspace.WorkspaceId,
            }, progress, ct);
            startedOver = true;
        }
        var plan = RollupPlan.For(progress.Coverage, org.CreatedDay, [.. marks.Select(m => m.Mark)], lastClosed, startedAt - options.Grace);

        int days = 0, weeks = 0, months = 0, cleared = 0, done = 0;
        var budget = Math.Min(plan.Count, options.MaxStepsPerOrg);
        string? error = null;
        try
        {
            // Late usage for closed statement months is reconciled before any mark announcing it is cleared.
            await WithRetriesAsync(async () => { await lateUsage.ReconcileAsync(org.OrgId, [.. marks.Select(m => m.Mark)], ct); return true; }, ct);
            foreach (var step in plan.Take(budget))
            {
                if (step.Days > 0)
                {
                    var (w, m) = await WithRetriesAsync(() => RecomputeAsync(org.OrgId, defaultWorkspace, step, ct), ct);
                    (days, weeks, months) = (days + step.Days, weeks + w, months + m);
                    changedFrom = changedFrom is { } f && f < step.From ? f : step.From;
                    changedTo = changedTo is { } t && t > step.To ? t : step.To;
                    var previous = progress;
                    progress = await WithRetriesAsync(() => SaveAsync(org.OrgId, previous.With(step.CoverageAfter) with { Epoch = previous.Epoch + 1 }, previous, ct), ct);
                    if (AfterStep is not null) await AfterStep(org.OrgId, ct);
                }
                foreach (var mark in marks.Where(m => step.Clears.Contains(m.Mark)))
                    if (await WithRetriesAsync(() => dirty.ClearAsync(org.OrgId, mark, ct), ct)) cleared++;
                done++;
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested && Account.StorageFaults.IsTransient(e) && e is not StorageContentionException)
        {
            // Storage stayed unavailable through every attempt: keep what is finished, try again next run.
            error = $"{e.GetType().Name}: storage unavailable after {options.StepAttempts} attempts";
        }
        return (new OrgRollupReport(org.OrgId, days, weeks, months, 0, cleared, progress.FirstDay, progress.RolledThrough, progress.Epoch)
        {
            StepsDeferred = plan.Count - done,
            Error = error,
            Change = new RollupChange(epochBefore, startedOver, changedFrom, changedTo),
        }, progress);
    }

    private Task<T> WithRetriesAsync<T>(Func<Task<T>> step, CancellationToken ct) => StepRetries.RunAsync(step, options, time, ct);

    /// <summary>Recomputes the step's days from raw records, then the weeks and months around them inside its coverage.</summary>
    private async Task<(int Weeks, int Months)> RecomputeAsync(string orgId, DefaultWorkspace defaultWorkspace, RollupStep step, CancellationToken ct)
    {
        var weeks = RollupPlan.BlocksToCompose(step.From, step.To, step.CoverageAfter, Block.WeekOf);
        var months = RollupPlan.BlocksToCompose(step.From, step.To, step.CoverageAfter, Block.MonthOf);
        foreach (var kind in Enum.GetValues<UsageKind>())
        {
            var byDay = new CellSums();
            await foreach (var (day, cell) in raw.ReadDayCellsAsync(orgId, kind, step.From, step.To, defaultWorkspace, null, ct)) byDay.Add(day, cell);
            await rollups.ReplacePeriodsAsync(orgId, kind, BlockSize.Day, step.From, step.To, byDay.Lists(), ct);
            await ComposeAsync(orgId, kind, weeks, ct);
            await ComposeAsync(orgId, kind, months, ct);
        }
        return (weeks.Count, months.Count);
    }

    /// <summary>Sums daily cells into the given (consecutive) weeks or months.</summary>
    private async Task ComposeAsync(string orgId, UsageKind kind, IReadOnlyList<Block> blocks, CancellationToken ct)
    {
        if (blocks.Count == 0) return;
        var size = blocks[0].Size;
        var byPeriod = new CellSums();
        await foreach (var (day, cell) in rollups.ReadCellsAsync(orgId, kind, BlockSize.Day, blocks[0].Start, blocks[^1].End, null, ct))
            byPeriod.Add(size == BlockSize.Week ? Block.WeekOf(day).Start : Block.MonthOf(day).Start, cell);
        await rollups.ReplacePeriodsAsync(orgId, kind, size, blocks[0].Start, blocks[^1].End, byPeriod.Lists(), ct);
    }

    private async Task<RollupProgress> SaveAsync(string orgId, RollupProgress next, RollupProgress? previous, CancellationToken ct) =>
        await rollups.TrySaveProgressAsync(orgId, next, previous, ct)
        ?? throw new StorageContentionException($"Rollup progress of org {orgId} changed under this run; the next run will redo the work.");
}
