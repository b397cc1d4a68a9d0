using Beacon.Storage.Account;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;

namespace Beacon.Storage.Stores;

/// <summary>
/// Usage snapshots (SPEC §4.6), keyed by (license, from_timestamp) with the window rule: a later or
/// equal to_timestamp replaces, an older copy is ignored. PK = license id; RK = the from time counted
/// down from the end of time, so a license's snapshots list newest first in one range read.
/// </summary>
public sealed class SnapshotStore(Tables tables)
{
    /// <summary>The one section of the snapshot listing's cursors.</summary>
    public const string Section = "snapshots";

    public static string RowOf(long fromMicros) => (long.MaxValue - fromMicros).ToString("D19", CultureInfo.InvariantCulture);

    public async Task<SupersedeOutcome> SupersedeAsync(string orgId, string licenseId, UsageSnapshot snapshot, DateTimeOffset now, CancellationToken ct = default)
    {
        var entity = new TableEntity(licenseId, RowOf(snapshot.FromMicros))
        {
            ["org_id"] = orgId,
            ["from_us"] = snapshot.FromMicros,
            ["to_us"] = snapshot.ToMicros,
            ["measures"] = JsonSerializer.Serialize(snapshot.Measures, StorageJson.Default.IReadOnlyDictionaryStringInt64),
            ["received_at"] = now,
        };
        for (int attempt = 0; attempt < 20; attempt++)
        {
            if (await tables.UsageSnapshots.TryAddAsync(entity, ct) is not null) return SupersedeOutcome.Inserted;
            var existing = await tables.GetAsync(tables.UsageSnapshots, entity.PartitionKey, entity.RowKey, ["to_us"], ct);
            if (existing is null) continue;
            var outcome = Supersede.Decide(existing.GetInt64("to_us") ?? 0, snapshot.ToMicros);
            if (outcome != SupersedeOutcome.Replaced) return outcome;
            if (await tables.UsageSnapshots.TryUpdateAsync(entity, existing.ETag, TableUpdateMode.Replace, ct) is not null) return outcome;
        }
        throw new StorageContentionException("The usage snapshot kept changing under concurrent reports.");
    }

    /// <summary>A page of a license's snapshots, newest first, after <paramref name="after"/>; the next page's cursor, or null at the end.</summary>
    public async Task<(IReadOnlyList<StoredSnapshot> Snapshots, Domain.Fleet.PageCursor? Next)> PageAsync(string licenseId, Domain.Fleet.PageCursor? after, int limit, CancellationToken ct = default)
    {
        var (page, next) = await tables.PageAsync(tables.UsageSnapshots, licenseId, Section, after, limit, ct);
        return ([.. page.Select(e => Read(licenseId, e))], next);
    }

    /// <summary>A license's snapshots, newest first.</summary>
    public async Task<IReadOnlyList<StoredSnapshot>> ListAsync(string licenseId, int limit = 100, CancellationToken ct = default) =>
        await tables.QueryAsync(tables.UsageSnapshots, TableClient.CreateQueryFilter($"PartitionKey eq {licenseId}"), ct: ct)
            .Take(limit)
            .Select(e => Read(licenseId, e))
            .ToListAsync(ct);

    private static StoredSnapshot Read(string licenseId, TableEntity e) => new(licenseId,
        Timestamps.ToDateTimeOffset(e.GetInt64("from_us") ?? 0), Timestamps.ToDateTimeOffset(e.GetInt64("to_us") ?? 0),
        JsonSerializer.Deserialize(e.GetString("measures") ?? "{}", StorageJson.Default.DictionaryStringInt64) ?? [],
        e.GetDateTimeOffset("received_at") ?? DateTimeOffset.MinValue);
}
