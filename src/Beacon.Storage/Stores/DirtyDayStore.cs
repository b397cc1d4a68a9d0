using Azure;
using Beacon.Domain.Time;
using Beacon.Storage.Client;

namespace Beacon.Storage.Stores;

/// <summary>A range of UTC days that received data after it may have been rolled up.</summary>
public sealed record DirtyRange(DateOnly First, DateOnly Last, DateTimeOffset MarkedAt, ETag ETag)
{
    public bool Intersects(DateOnly from, DateOnly toExclusive) => First < toExclusive && Last >= from;
}

/// <summary>
/// Marks day ranges dirty. Writers mark before they write data for a day that is already over, so a
/// rollup that has used the day cannot miss the change; the rollup clears a mark only after it has
/// recomputed the range, and only a mark older than the writers' grace period (see RollupJob).
/// </summary>
public sealed class DirtyDayStore(Tables tables)
{
    public async Task MarkAsync(string orgId, IReadOnlyCollection<(DateOnly First, DateOnly Last)> ranges, DateTimeOffset now, CancellationToken ct = default)
    {
        var entities = ranges.Distinct()
            .Select(r => new TableEntity(orgId, $"{Timestamps.DayKey(r.First)}|{Timestamps.DayKey(r.Last)}") { ["marked_at"] = now })
            .ToList();
        if (entities.Count == 1)
        {
            await tables.DirtyDays.UpsertAsync(entities[0], TableUpdateMode.Replace, ct);
            return;
        }
        foreach (var chunk in entities.Chunk(TableBatch.MaxOperations))
            await tables.DirtyDays.SubmitTransactionAsync([.. chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e))], ct);
    }

    public async Task<IReadOnlyList<DirtyRange>> ListAsync(string orgId, CancellationToken ct = default) =>
        await tables.DirtyDays.QueryAsync(TableFilter.Create($"PartitionKey eq {orgId}"), ct: ct)
            .Select(e =>
            {
                var parts = e.RowKey.Split('|');
                return new DirtyRange(Timestamps.ParseDayKey(parts[0]), Timestamps.ParseDayKey(parts[1]),
                    e.GetDateTime("marked_at") ?? DateTimeOffset.MinValue, e.ETag);
            })
            .ToListAsync(ct);

    /// <summary>Removes a mark unless it was renewed since it was read (ETag).</summary>
    public Task<bool> ClearAsync(string orgId, DirtyRange range, CancellationToken ct = default) =>
        tables.DirtyDays.DeleteAsync(orgId, $"{Timestamps.DayKey(range.First)}|{Timestamps.DayKey(range.Last)}", range.ETag, ct);

    /// <summary>
    /// The ranges of <paramref name="days"/> that are already over at <paramref name="now"/> (UTC), as
    /// contiguous runs: what a writer must mark before writing.
    /// </summary>
    public static IReadOnlyList<(DateOnly First, DateOnly Last)> PastRuns(IEnumerable<DateOnly> days, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var runs = new List<(DateOnly, DateOnly)>();
        foreach (var d in days.Where(d => d < today).Distinct().Order())
        {
            if (runs.Count > 0 && runs[^1].Item2.AddDays(1) == d) runs[^1] = (runs[^1].Item1, d);
            else runs.Add((d, d));
        }
        return runs;
    }
}
