using Azure.Data.Tables;
using Beacon.Domain.Rollups;
using Beacon.Domain.Time;

namespace Beacon.Storage.Stores;

/// <summary>
/// Marks day ranges dirty. Writers mark before they write data for a day that is already over, so a
/// rollup that has used the day cannot miss the change; the rollup clears a mark only after it has
/// recomputed the range, and only a mark older than the writers' grace period (see RollupPlan).
/// </summary>
public sealed class DirtyDayStore(Tables tables)
{
    /// <summary>Marks every day of <paramref name="days"/> that is over at <paramref name="now"/>; days of today and later need no mark.</summary>
    public Task MarkPastAsync(string orgId, IEnumerable<DateOnly> days, DateTimeOffset now, CancellationToken ct = default) =>
        MarkAsync(orgId, DayRuns.Past(days, now), now, ct);

    public async Task MarkAsync(string orgId, IReadOnlyCollection<(DateOnly First, DateOnly Last)> ranges, DateTimeOffset now, CancellationToken ct = default)
    {
        var entities = ranges.Distinct()
            .Select(r => new TableEntity(orgId, RowOf(r.First, r.Last)) { ["marked_at"] = now })
            .ToList();
        if (entities.Count == 0) return;
        // An upsert: a repeated mark moves marked_at forward, and its ETag changes, so a rollup that
        // listed the older version cannot clear it.
        if (entities.Count == 1) await tables.DirtyDays.UpsertEntityAsync(entities[0], TableUpdateMode.Replace, ct);
        else await tables.DirtyDays.SubmitInBatchesAsync(entities.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct);
    }

    public async Task<IReadOnlyList<StoredDirtyMark>> ListAsync(string orgId, CancellationToken ct = default) =>
        await tables.QueryAsync(tables.DirtyDays, TableClient.CreateQueryFilter($"PartitionKey eq {orgId}"), ct: ct)
            .Select(e =>
            {
                var parts = e.RowKey.Split('|');
                return new StoredDirtyMark(
                    new DirtyMark(Timestamps.ParseDayKey(parts[0]), Timestamps.ParseDayKey(parts[1]), e.GetDateTimeOffset("marked_at") ?? DateTimeOffset.MinValue),
                    e.ETag);
            })
            .ToListAsync(ct);

    /// <summary>Removes a mark unless it was renewed since it was read (ETag).</summary>
    public Task<bool> ClearAsync(string orgId, StoredDirtyMark mark, CancellationToken ct = default) =>
        tables.DirtyDays.TryDeleteAsync(orgId, RowOf(mark.Mark.First, mark.Mark.Last), mark.ETag, ct);

    private static string RowOf(DateOnly first, DateOnly last) => $"{Timestamps.DayKey(first)}|{Timestamps.DayKey(last)}";
}
