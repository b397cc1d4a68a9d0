using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Beacon.Domain.Query;
using Beacon.Domain.Time;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Rollups;

/// <summary>
/// The precomputed cells: one row per (period, cell) in a partition per (org, kind, block size), so a
/// run of consecutive days, weeks or months is one range query. And each org's progress.
/// </summary>
public sealed class RollupStore(Tables tables)
{
    private static readonly string[] CellColumns = ["workspace_id", "project_id", "user_id", "api_key_short_key", "license_id", "tier", "traces", "runs", "nodes", "uptime_us"];

    public static string PartitionOf(string orgId, UsageKind kind, BlockSize size) =>
        $"{orgId}|{(kind == UsageKind.Traces ? 't' : 'd')}|{size switch { BlockSize.Day => 'D', BlockSize.Week => 'W', _ => 'M' }}";

    private static string ProgressPartition(string orgId) => orgId + "|progress";

    public async Task<RollupProgress?> GetProgressAsync(string orgId, CancellationToken ct = default)
    {
        var e = await tables.GetAsync(tables.Rollups, ProgressPartition(orgId), "progress", ct: ct);
        if (e is null) return null;
        var staged = e.GetString("staged_end") ?? "";
        return new RollupProgress(
            Timestamps.ParseDayKey(e.GetString("first_day") ?? ""), Timestamps.ParseDayKey(e.GetString("rolled_through") ?? ""), e.GetInt64("epoch") ?? 0,
            staged.Length > 0 ? Timestamps.ParseDayKey(staged) : null, e.GetInt64("staged_epoch") ?? 0, e.ETag)
        {
            Outdated = (e.GetInt32("cells_version") ?? 1) != RollupProgress.CurrentCellsVersion,
        };
    }

    /// <summary>
    /// Saves progress if nobody else changed it since <paramref name="previous"/> was read (or creates it
    /// when <paramref name="previous"/> is null); null when it changed — the caller stops. Each save
    /// carries a fresh writer token, so a save that committed but whose answer was lost (the SDK's
    /// retry then meets 412 or 409) is recognised as this save, not mistaken for someone else's.
    /// </summary>
    public async Task<RollupProgress?> TrySaveProgressAsync(string orgId, RollupProgress next, RollupProgress? previous, CancellationToken ct = default)
    {
        var writer = Guid.NewGuid().ToString("N");
        var e = new TableEntity(ProgressPartition(orgId), "progress")
        {
            ["first_day"] = Timestamps.DayKey(next.FirstDay),
            ["rolled_through"] = Timestamps.DayKey(next.RolledThrough),
            ["epoch"] = next.Epoch,
            ["staged_end"] = next.StagedEnd is { } s ? Timestamps.DayKey(s) : "",
            ["staged_epoch"] = next.StagedEpoch,
            ["writer"] = writer,
            ["cells_version"] = RollupProgress.CurrentCellsVersion,
        };
        var etag = previous is not null
            ? await tables.Rollups.TryUpdateAsync(e, previous.ETag, TableUpdateMode.Replace, ct)
            : await tables.Rollups.TryAddAsync(e, ct);
        if (etag is { } t) return next with { ETag = t, Outdated = false };
        var stored = await tables.GetAsync(tables.Rollups, e.PartitionKey, e.RowKey, ["writer"], ct);
        return stored?.GetString("writer") == writer ? next with { ETag = stored.ETag, Outdated = false } : null;
    }

    /// <summary>The cells of the blocks of one size starting in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async IAsyncEnumerable<(DateOnly Period, UsageCell Cell)> ReadCellsAsync(
        string orgId, UsageKind kind, BlockSize size, DateOnly from, DateOnly to, IReadOnlyCollection<string>? workspaceIds,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(orgId, kind, size)} and RowKey ge {Timestamps.DayKey(from)} and RowKey lt {Timestamps.DayKey(to)}")
                     + WorkspaceFilter.Clause(workspaceIds);
        await foreach (var e in tables.QueryAsync(tables.Rollups, filter, CellColumns, ct))
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
        var existing = await tables.QueryAsync(tables.Rollups,
                TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {Timestamps.DayKey(from)} and RowKey lt {Timestamps.DayKey(to)}"), ["PartitionKey"], ct)
            .Select(e => e.RowKey).ToHashSetAsync(cancellationToken: ct);
        var entities = cellsByPeriod
            .Where(kv => kv.Key >= from && kv.Key < to)
            .SelectMany(kv => kv.Value.Select(c => ToEntity(pk, Timestamps.DayKey(kv.Key), c)))
            .ToList();
        var stale = existing.Except(entities.Select(e => e.RowKey)).ToList();
        var actions = entities.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e))
            .Concat(stale.Select(rk => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(pk, rk))));
        await tables.Rollups.SubmitInBatchesAsync(actions, ct, parallelism: 4);
        return entities.Count;
    }

    private static TableEntity ToEntity(string pk, string period, UsageCell c) => new(pk, $"{period}|{CellHash(c)}")
    {
        ["workspace_id"] = c.WorkspaceId,
        ["project_id"] = c.ProjectId,
        ["user_id"] = c.UserId,
        ["api_key_short_key"] = c.ApiKeyShortKey,
        ["license_id"] = c.LicenseId,
        ["tier"] = c.Tier is { } t ? WireNames.Of(t) : "",
        ["traces"] = Int128Column.Write(c.Traces),
        ["runs"] = Int128Column.Write(c.Runs),
        ["nodes"] = Int128Column.Write(c.Nodes),
        ["uptime_us"] = Int128Column.Write(c.UptimeMicros),
    };

    private static UsageCell ToCell(TableEntity e)
    {
        var tier = e.GetString("tier") ?? "";
        return new UsageCell(e.GetString("workspace_id") ?? "", e.GetString("project_id") ?? "", e.GetString("user_id") ?? "",
            e.GetString("api_key_short_key") ?? "", e.GetString("license_id") ?? "", tier.Length == 0 ? null : tier == "longlived" ? TraceTier.Longlived : TraceTier.Shortlived,
            Int128Column.Read(e, "traces"), Int128Column.Read(e, "runs"), Int128Column.Read(e, "nodes"), Int128Column.Read(e, "uptime_us"));
    }

    /// <summary>A stable key for a cell's dimensions (its row key suffix).</summary>
    public static string CellHash(UsageCell c) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\u0001', c.WorkspaceId, c.ProjectId, c.UserId, c.ApiKeyShortKey, c.LicenseId, c.Tier is { } t ? WireNames.Of(t) : ""))))[..32];
}
