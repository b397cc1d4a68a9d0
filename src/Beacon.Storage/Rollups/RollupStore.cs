using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Beacon.Domain.Query;
using Beacon.Domain.Time;
using Beacon.Storage.Client;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Rollups;

/// <summary>
/// Which days an org's rollups cover: every day in [<see cref="FirstDay"/>, <see cref="RolledThrough"/>]
/// has its daily cells, and every ISO week and calendar month inside that range has its cells.
/// <see cref="Epoch"/> changes whenever any cell changes; staged exports record the epoch they were
/// made at (<see cref="StagedEpoch"/>, for presets ending at <see cref="StagedEnd"/>).
/// </summary>
public sealed record RollupProgress(DateOnly FirstDay, DateOnly RolledThrough, long Epoch, DateOnly? StagedEnd, long StagedEpoch, ETag ETag)
{
    public bool Covers(Block b) => b.Start >= FirstDay && b.End <= RolledThrough.AddDays(1);
}

/// <summary>
/// The precomputed cells: one row per (period, cell) in a partition per (org, kind, block size), so a
/// run of consecutive days, weeks or months is one range query.
/// </summary>
public sealed class RollupStore(Tables tables)
{
    private static readonly string[] CellColumns = ["workspace_id", "project_id", "user_id", "api_key_short_key", "tier", "traces", "runs", "nodes", "uptime_us"];

    public static string PartitionOf(string orgId, UsageKind kind, BlockSize size) =>
        $"{orgId}|{(kind == UsageKind.Traces ? 't' : 'd')}|{size switch { BlockSize.Day => 'D', BlockSize.Week => 'W', _ => 'M' }}";

    private static string ProgressPartition(string orgId) => orgId + "|progress";

    public async Task<RollupProgress?> GetProgressAsync(string orgId, CancellationToken ct = default)
    {
        var e = await tables.Rollups.GetAsync(ProgressPartition(orgId), "progress", ct: ct);
        if (e is null) return null;
        var staged = e.GetStringOrEmpty("staged_end");
        return new RollupProgress(
            Timestamps.ParseDayKey(e.GetStringOrEmpty("first_day")), Timestamps.ParseDayKey(e.GetStringOrEmpty("rolled_through")), e.GetInt64("epoch"),
            staged.Length > 0 ? Timestamps.ParseDayKey(staged) : null, e.GetInt64("staged_epoch"), e.ETag);
    }

    /// <summary>
    /// Saves progress if nobody else changed it since <paramref name="previous"/> was read (or creates it
    /// when <paramref name="previous"/> is null); null when it changed — the caller stops.
    /// </summary>
    public async Task<RollupProgress?> TrySaveProgressAsync(string orgId, RollupProgress next, RollupProgress? previous, CancellationToken ct = default)
    {
        var e = new TableEntity(ProgressPartition(orgId), "progress")
        {
            ["first_day"] = Timestamps.DayKey(next.FirstDay),
            ["rolled_through"] = Timestamps.DayKey(next.RolledThrough),
            ["epoch"] = next.Epoch,
            ["staged_end"] = next.StagedEnd is { } s ? Timestamps.DayKey(s) : "",
            ["staged_epoch"] = next.StagedEpoch,
        };
        ETag? etag = previous is not null
            ? await tables.Rollups.TryUpdateAsync(e, previous.ETag, TableUpdateMode.Replace, ct)
            : await tables.Rollups.TryInsertAsync(e, ct);
        return etag is { } t ? next with { ETag = t } : null;
    }

    /// <summary>The cells of the blocks of one size starting in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async IAsyncEnumerable<(DateOnly Period, UsageCell Cell)> ReadCellsAsync(
        string orgId, UsageKind kind, BlockSize size, DateOnly from, DateOnly to, IReadOnlyCollection<string>? workspaceIds,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var filter = TableFilter.Create($"PartitionKey eq {PartitionOf(orgId, kind, size)} and RowKey ge {Timestamps.DayKey(from)} and RowKey lt {Timestamps.DayKey(to)}")
                     + WorkspaceFilter.Clause(workspaceIds);
        await foreach (var e in tables.Rollups.QueryAsync(filter, CellColumns, ct: ct))
        {
            var cell = ToCell(e);
            if (!WorkspaceFilter.Accepts(workspaceIds, cell.WorkspaceId)) continue;
            yield return (Timestamps.ParseDayKey(e.RowKey[..8]), cell);
        }
    }

    /// <summary>
    /// Makes the stored cells of every period of one size starting in [<paramref name="from"/>,
    /// <paramref name="to"/>) exactly <paramref name="cellsByPeriod"/> (a period absent from it ends up
    /// empty): one read of the existing keys, then batched upserts and deletes of stale cells. Not
    /// atomic; the job only does this to periods no query uses yet (beyond progress, or marked dirty).
    /// </summary>
    public async Task<int> ReplacePeriodsAsync(
        string orgId, UsageKind kind, BlockSize size, DateOnly from, DateOnly to, IReadOnlyDictionary<DateOnly, List<UsageCell>> cellsByPeriod, CancellationToken ct = default)
    {
        var pk = PartitionOf(orgId, kind, size);
        var existing = await tables.Rollups.QueryAsync(
                TableFilter.Create($"PartitionKey eq {pk} and RowKey ge {Timestamps.DayKey(from)} and RowKey lt {Timestamps.DayKey(to)}"), ["PartitionKey"], ct: ct)
            .Select(e => e.RowKey).ToHashSetAsync(cancellationToken: ct);
        var entities = cellsByPeriod
            .Where(kv => kv.Key >= from && kv.Key < to)
            .SelectMany(kv => kv.Value.Select(c => ToEntity(pk, Timestamps.DayKey(kv.Key), c)))
            .ToList();
        var stale = existing.Except(entities.Select(e => e.RowKey)).ToList();
        var actions = entities.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e))
            .Concat(stale.Select(rk => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(pk, rk))))
            .Chunk(TableBatch.MaxOperations)
            .ToList();
        await Parallel.ForEachAsync(actions, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct },
            async (chunk, token) => await tables.Rollups.SubmitTransactionAsync(chunk, token));
        return entities.Count;
    }

    private static TableEntity ToEntity(string pk, string period, UsageCell c) => new(pk, $"{period}|{CellHash(c)}")
    {
        ["workspace_id"] = c.WorkspaceId,
        ["project_id"] = c.ProjectId,
        ["user_id"] = c.UserId,
        ["api_key_short_key"] = c.ApiKeyShortKey,
        ["tier"] = c.Tier is { } t ? WireNames.Of(t) : "",
        ["traces"] = c.Traces,
        ["runs"] = c.Runs,
        ["nodes"] = c.Nodes,
        ["uptime_us"] = c.UptimeMicros,
    };

    private static UsageCell ToCell(TableEntity e)
    {
        var tier = e.GetStringOrEmpty("tier");
        return new UsageCell(e.GetStringOrEmpty("workspace_id"), e.GetStringOrEmpty("project_id"), e.GetStringOrEmpty("user_id"),
            e.GetStringOrEmpty("api_key_short_key"), tier.Length == 0 ? null : tier == "longlived" ? TraceTier.Longlived : TraceTier.Shortlived,
            e.GetInt64("traces"), e.GetInt64("runs"), e.GetInt64("nodes"), e.GetInt64("uptime_us"));
    }

    /// <summary>A stable key for a cell's dimensions (its row key suffix).</summary>
    public static string CellHash(UsageCell c) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\u0001', c.WorkspaceId, c.ProjectId, c.UserId, c.ApiKeyShortKey, c.Tier is { } t ? WireNames.Of(t) : ""))))[..32];
}
