using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Beacon.Domain.Meters;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;

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
    private static readonly string[] CellColumns = ["workspace_id", "project_id", "user_id", "api_key_short_key", "license_id", "tier", "trace_count"];
    private const string ClaimToken = "claim_token";
    private static readonly HashSet<string> SystemProperties = ["PartitionKey", "RowKey", "odata.etag", "Timestamp", ClaimToken];

    public static string PartitionOf(string orgId, DateOnly day) => $"{orgId}|{Timestamps.DayKey(day)}";

    /// <summary>
    /// Stores the transactions not seen before; returns how many were new. Each claim carries a token of
    /// this request, so when a claim write committed but its answer was lost (the SDK's retry then meets
    /// 409), the claim is still recognised as this request's: it counts as new, exactly once.
    /// A transaction carries the license that reported it (<paramref name="licenseId"/>, empty for an API
    /// key); a repeat keeps the first claim's, like every other field.
    /// </summary>
    public async Task<int> InsertTraceTransactionsAsync(string orgId, string licenseId, IReadOnlyList<TraceTransaction> transactions, DateTimeOffset now, CancellationToken ct = default)
    {
        if (transactions.Count == 0) return 0;
        await dirty.MarkPastAsync(orgId, transactions.Select(t => t.Day), now, ct);

        var token = Guid.NewGuid().ToString("N");
        var claimed = new List<TraceTransaction>();
        var earlierClaims = new List<TableEntity>();
        foreach (var chunk in transactions.Chunk(TableWrites.MaxBatchOperations))
        {
            var claims = chunk.Select(t => ToClaim(orgId, licenseId, t, now, token)).ToList();
            try
            {
                await tables.TraceIds.SubmitBatchAsync([.. claims.Select(c => new TableTransactionAction(TableTransactionActionType.Add, c))], ct);
                claimed.AddRange(chunk);
                continue;
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                // Some ids exist already (or this very batch committed and its answer was lost): claim one
                // by one, and read the claims that exist to learn whose they are.
            }
            var existing = new TableEntity?[chunk.Length];
            await Parallel.ForAsync(0, chunk.Length, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (i, token2) =>
            {
                if (await tables.TraceIds.TryAddAsync(claims[i], token2) is null)
                    existing[i] = await tables.GetAsync(tables.TraceIds, orgId, claims[i].RowKey, ct: token2);
            });
            for (int i = 0; i < chunk.Length; i++)
            {
                if (existing[i] is not { } claim || claim.GetString(ClaimToken) == token) claimed.Add(chunk[i]);
                else earlierClaims.Add(claim);
            }
        }

        // The day records: from this request for its own claims, and from the claim for ids claimed
        // before — a repeat can never change what was counted, and a crash between an earlier claim and
        // its day record is repaired here.
        var records = claimed.Select(t => ToEntity(orgId, t.Day, licenseId, t, now))
            .Concat(earlierClaims.Select(c => Rekey(c, PartitionOf(orgId, Timestamps.ParseDayKey(c.GetString("day") ?? "")))))
            .ToList();
        await dirty.MarkPastAsync(orgId, earlierClaims.Select(c => Timestamps.ParseDayKey(c.GetString("day") ?? "")), now, ct);
        await WriteDayRecordsAsync(records, ct);
        return claimed.Count;
    }

    private static TableEntity ToClaim(string orgId, string licenseId, TraceTransaction t, DateTimeOffset now, string token)
    {
        var claim = ToEntity(orgId, KeyPart.Of(t.Id), licenseId, t, now);
        claim[ClaimToken] = token;
        return claim;
    }

    private Task WriteDayRecordsAsync(IEnumerable<TableEntity> records, CancellationToken ct) =>
        tables.TraceTransactions.SubmitInBatchesAsync(records.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), ct, Parallelism);

    private static TableEntity ToEntity(string orgId, DateOnly day, string licenseId, TraceTransaction t, DateTimeOffset now) =>
        ToEntity(PartitionOf(orgId, day), KeyPart.Of(t.Id), licenseId, t, now);

    private static TableEntity ToEntity(string pk, string rk, string licenseId, TraceTransaction t, DateTimeOffset now)
    {
        var e = new TableEntity(pk, rk)
        {
            ["id"] = t.Id,
            ["day"] = Timestamps.DayKey(t.Day),
            ["workspace_id"] = t.WorkspaceId,
            ["project_id"] = t.ProjectId,
            ["user_id"] = t.UserId,
            ["api_key_short_key"] = t.ApiKeyShortKey,
            ["license_id"] = licenseId,
            ["tier"] = UsageNames.Of(t.Tier),
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
        foreach (var (k, v) in source)
            if (!SystemProperties.Contains(k)) copy[k] = v;
        return copy;
    }

    /// <summary>The claim of an id (what was counted for it); null when the id was never seen.</summary>
    public Task<TableEntity?> GetClaimAsync(string orgId, string transactionId, CancellationToken ct = default) =>
        tables.GetAsync(tables.TraceIds, orgId, KeyPart.Of(transactionId), ct: ct);

    /// <summary>Every transaction of the days in [<paramref name="from"/>, <paramref name="to"/>): its day, cell key and count.</summary>
    public async IAsyncEnumerable<(DateOnly Day, CellKey Key, long Count)> ReadTransactionsAsync(
        string orgId, DateOnly from, DateOnly to, IReadOnlyCollection<string>? workspaceIds, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {PartitionOf(orgId, from)} and PartitionKey lt {PartitionOf(orgId, to)}")
                     + WorkspaceFilter.Clause(workspaceIds);
        await foreach (var e in tables.QueryAsync(tables.TraceTransactions, filter, CellColumns, ct))
        {
            var ws = e.GetString("workspace_id") ?? "";
            if (!WorkspaceFilter.Accepts(workspaceIds, ws)) continue;
            var day = Timestamps.ParseDayKey(e.PartitionKey[(orgId.Length + 1)..]);
            var tier = e.GetString("tier") == "longlived" ? TraceTier.Longlived : TraceTier.Shortlived;
            yield return (day, new CellKey(ws, e.GetString("project_id") ?? "", e.GetString("user_id") ?? "",
                e.GetString("api_key_short_key") ?? "", e.GetString("license_id") ?? "", tier), e.GetInt64("trace_count") ?? 0);
        }
    }
}
