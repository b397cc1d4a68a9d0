using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Beacon.Domain.Meters;
using Beacon.Domain.Query;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Rollups;

/// <summary>
/// The precomputed cells: one row per (period, cell) in a partition per (org, kind, block size), so a
/// run of consecutive days, weeks or months is one range query. A cell keeps one column per slot of the
/// meter catalog (<c>v_</c> + the slot's column; zeros are not written). And each org's progress.
/// </summary>
public sealed class RollupStore(Tables tables, MeterCatalog catalog)
{
    private const string ValuePrefix = "v_";
    private static readonly string[] KeyColumns = ["workspace_id", "project_id", "user_id", "api_key_short_key", "license_id", "tier", "source"];
    private readonly string[] _cellColumns = [.. KeyColumns, .. catalog.Slots.Select(s => ValuePrefix + s.Column)];

    /// <summary>
    /// The layout of the cells, saved with progress: a version and the catalog's fingerprint. Version 2 added
    /// the license; version 3 keeps values by meter (and resolves the default workspace before counting
    /// distinct minutes); version 4 adds the source (self-reported usage, SPEC §17). Progress saved with
    /// another layout covers nothing: queries read raw records and the next run recomputes every day in
    /// this layout.
    /// </summary>
    public string CellsVersion => "4:" + catalog.Fingerprint;

    public static string PartitionOf(string orgId, UsageKind kind, BlockSize size)
    {
        var k = kind switch { UsageKind.Traces => 't', UsageKind.Deployments => 'd' };
        var s = size switch { BlockSize.Day => 'D', BlockSize.Week => 'W', BlockSize.Month => 'M' };
        return $"{orgId}|{k}|{s}";
    }

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
            // Versions 1 and 2 were saved as numbers (and GetString throws on a number).
            Outdated = !(e.TryGetValue("cells_version", out var version) && version is string v && v == CellsVersion),
            DefaultWorkspace = e.GetString("default_workspace") ?? "",
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
            ["cells_version"] = CellsVersion,
            ["default_workspace"] = next.DefaultWorkspace,
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
        await foreach (var e in tables.QueryAsync(tables.Rollups, filter, _cellColumns, ct))
        {
            var cell = ToCell(e);
            if (!WorkspaceFilter.Accepts(workspaceIds, cell.Key.WorkspaceId)) continue;
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

    private TableEntity ToEntity(string pk, string period, UsageCell c)
    {
        var k = c.Key;
        var e = new TableEntity(pk, $"{period}|{CellHash(k)}")
        {
            ["workspace_id"] = k.WorkspaceId,
            ["project_id"] = k.ProjectId,
            ["user_id"] = k.UserId,
            ["api_key_short_key"] = k.ApiKeyShortKey,
            ["license_id"] = k.LicenseId,
            ["tier"] = k.Tier is { } t ? UsageNames.Of(t) : "",
        };
        if (k.Source == UsageSource.SelfReported) e["source"] = UsageNames.Of(k.Source);
        for (int s = 0; s < catalog.Slots.Count; s++)
            if (c.Values[s] != 0) e[ValuePrefix + catalog.Slots[s].Column] = Int128Column.Write(c.Values[s]);
        return e;
    }

    private UsageCell ToCell(TableEntity e)
    {
        var tier = e.GetString("tier") ?? "";
        var key = new CellKey(e.GetString("workspace_id") ?? "", e.GetString("project_id") ?? "", e.GetString("user_id") ?? "",
            e.GetString("api_key_short_key") ?? "", e.GetString("license_id") ?? "", UsageNames.TryParseTier(tier, out var t) ? t : null,
            e.GetString("source") == UsageNames.Of(UsageSource.SelfReported) ? UsageSource.SelfReported : UsageSource.Metered);
        var values = new Int128[catalog.Slots.Count];
        for (int s = 0; s < values.Length; s++) values[s] = Int128Column.Read(e, ValuePrefix + catalog.Slots[s].Column);
        return new UsageCell(key, new MeterValues(values));
    }

    /// <summary>A stable key for a cell's dimensions (its row key suffix; metered cells keep the hash they had before sources existed).</summary>
    public static string CellHash(CellKey k) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\u0001', k.WorkspaceId, k.ProjectId, k.UserId, k.ApiKeyShortKey, k.LicenseId, k.Tier is { } t ? UsageNames.Of(t) : "")
            + (k.Source == UsageSource.SelfReported ? "\u0001" + UsageNames.Of(k.Source) : ""))))[..32];
}
