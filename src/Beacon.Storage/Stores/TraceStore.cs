using System.Runtime.CompilerServices;
using Beacon.Domain.Query;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;
using Beacon.Storage.Client;

namespace Beacon.Storage.Stores;

/// <summary>
/// Trace transactions. The id is the idempotency key forever, so the first step is a claim in
/// TraceIds (PK = org, RK = id): the one insert that wins decides who stores the transaction. Then
/// the transaction is written to its UTC day's partition in TraceTransactions, where queries read.
/// A claim carries the full transaction, so a repeat (or a retry after a crash between the two
/// steps) rewrites the day record from the claim: the count is stored once, and never lost.
/// </summary>
public sealed class TraceStore(Tables tables, DirtyDayStore dirty)
{
    private const int Parallelism = 8;
    private static readonly string[] CellColumns = ["workspace_id", "project_id", "user_id", "api_key_short_key", "tier", "trace_count"];

    public static string PartitionOf(string orgId, DateOnly day) => $"{orgId}|{Timestamps.DayKey(day)}";

    /// <summary>Stores the transactions not seen before; returns how many were new.</summary>
    public async Task<int> InsertTraceTransactionsAsync(string orgId, IReadOnlyList<TraceTransaction> transactions, DateTimeOffset now, CancellationToken ct = default)
    {
        if (transactions.Count == 0) return 0;
        var past = DirtyDayStore.PastRuns(transactions.Select(t => t.Day), now);
        if (past.Count > 0) await dirty.MarkAsync(orgId, past, now, ct);

        var claimed = new List<TraceTransaction>();
        var repeated = new List<TraceTransaction>();
        foreach (var chunk in transactions.Chunk(TableBatch.MaxOperations))
        {
            var claims = chunk.Select(t => ToEntity(orgId, KeyPart.Of(t.Id), t, now)).ToList();
            try
            {
                await tables.TraceIds.SubmitTransactionAsync([.. claims.Select(c => new TableTransactionAction(TableTransactionActionType.Add, c))], ct);
                claimed.AddRange(chunk);
                continue;
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                // Some ids exist already: claim one by one to learn which.
            }
            var won = new bool[chunk.Length];
            await Parallel.ForAsync(0, chunk.Length, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
                async (i, token) => won[i] = await tables.TraceIds.TryInsertAsync(claims[i], token) is not null);
            for (int i = 0; i < chunk.Length; i++) (won[i] ? claimed : repeated).Add(chunk[i]);
        }

        await WriteDayRecordsAsync(orgId, claimed.Select(t => ToEntity(orgId, t.Day, t, now)), ct);
        if (repeated.Count > 0) await RepairFromClaimsAsync(orgId, repeated, now, ct);
        return claimed.Count;
    }

    /// <summary>
    /// For ids claimed before: (re)write the day record from the claim, not from this request, so a
    /// repeat can never change what was counted. Usually a no-op rewrite; after a crash between claim
    /// and record it is what makes the transaction count.
    /// </summary>
    private async Task RepairFromClaimsAsync(string orgId, List<TraceTransaction> repeated, DateTimeOffset now, CancellationToken ct)
    {
        var claims = new TableEntity?[repeated.Count];
        await Parallel.ForAsync(0, repeated.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (i, token) => claims[i] = await tables.TraceIds.GetAsync(orgId, KeyPart.Of(repeated[i].Id), ct: token));
        var records = claims.OfType<TableEntity>().Select(c => Rekey(c, PartitionOf(orgId, Timestamps.ParseDayKey(c.GetStringOrEmpty("day"))))).ToList();
        var days = records.Select(r => Timestamps.ParseDayKey(r.PartitionKey[(orgId.Length + 1)..]));
        var past = DirtyDayStore.PastRuns(days, now);
        if (past.Count > 0) await dirty.MarkAsync(orgId, past, now, ct);
        await WriteDayRecordsAsync(orgId, records, ct);
    }

    private async Task WriteDayRecordsAsync(string orgId, IEnumerable<TableEntity> records, CancellationToken ct)
    {
        var batches = records.GroupBy(r => r.PartitionKey).SelectMany(g => g.Chunk(TableBatch.MaxOperations)).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (batch, token) => await tables.TraceTransactions.SubmitTransactionAsync(
                [.. batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r))], token));
    }

    private static TableEntity ToEntity(string orgId, DateOnly day, TraceTransaction t, DateTimeOffset now) =>
        ToEntity(PartitionOf(orgId, day), KeyPart.Of(t.Id), t, now);

    private static TableEntity ToEntity(string pk, string rk, TraceTransaction t, DateTimeOffset now)
    {
        var e = new TableEntity(pk, rk)
        {
            ["id"] = t.Id,
            ["day"] = Timestamps.DayKey(t.Day),
            ["workspace_id"] = t.WorkspaceId,
            ["project_id"] = t.ProjectId,
            ["user_id"] = t.UserId,
            ["api_key_short_key"] = t.ApiKeyShortKey,
            ["tier"] = WireNames.Of(t.Tier),
            ["trace_count"] = t.TraceCount,
            ["start_interval_us"] = t.StartIntervalMicros,
            ["transaction_type"] = t.TransactionType,
            ["status"] = t.Status,
            ["num_failed_send_attempts"] = t.NumFailedSendAttempts,
            ["received_at"] = now,
        };
        if (t.EndIntervalMicros is { } ei) e["end_interval_us"] = ei;
        if (t.StartInsertionMicros is { } si) e["start_insertion_us"] = si;
        if (t.EndInsertionMicros is { } xi) e["end_insertion_us"] = xi;
        return e;
    }

    private static TableEntity Rekey(TableEntity source, string pk)
    {
        var copy = new TableEntity(pk, source.RowKey);
        foreach (var (k, v) in source) copy[k] = v;
        return copy;
    }

    /// <summary>The claim of an id (what was counted for it); null when the id was never seen.</summary>
    public Task<TableEntity?> GetClaimAsync(string orgId, string transactionId, CancellationToken ct = default) =>
        tables.TraceIds.GetAsync(orgId, KeyPart.Of(transactionId), ct: ct);

    /// <summary>One-day cells for every transaction of the days in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async IAsyncEnumerable<(DateOnly Day, UsageCell Cell)> ReadDayCellsAsync(
        string orgId, DateOnly from, DateOnly to, IReadOnlyCollection<string>? workspaceIds, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var filter = TableFilter.Create($"PartitionKey ge {PartitionOf(orgId, from)} and PartitionKey lt {PartitionOf(orgId, to)}")
                     + WorkspaceFilter.Clause(workspaceIds);
        await foreach (var e in tables.TraceTransactions.QueryAsync(filter, CellColumns, ct: ct))
        {
            var ws = e.GetStringOrEmpty("workspace_id");
            if (!WorkspaceFilter.Accepts(workspaceIds, ws)) continue;
            var day = Timestamps.ParseDayKey(e.PartitionKey[(orgId.Length + 1)..]);
            var tier = e.GetStringOrEmpty("tier") == "longlived" ? TraceTier.Longlived : TraceTier.Shortlived;
            yield return (day, new UsageCell(ws, e.GetStringOrEmpty("project_id"), e.GetStringOrEmpty("user_id"),
                e.GetStringOrEmpty("api_key_short_key"), tier, e.GetInt64("trace_count"), 0, 0, 0));
        }
    }
}
