using Azure;
using Azure.Data.Tables;

namespace Beacon.Storage.Stores;

/// <summary>
/// The write shapes the stores use, on the SDK's <see cref="TableClient"/>: insert-if-absent (the dedupe
/// primitive), updates and deletes conditional on an explicit ETag, and entity group transactions split
/// into valid batches.
/// </summary>
internal static class TableWrites
{
    public const int MaxBatchOperations = 100;

    /// <summary>Inserts a new entity; null when an entity with the same keys exists (409).</summary>
    public static async Task<ETag?> TryAddAsync(this TableClient table, ITableEntity entity, CancellationToken ct)
    {
        try
        {
            return (await table.AddEntityAsync(entity, ct)).Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    /// <summary>
    /// Updates an entity only if its ETag still matches; the new ETag, or null when it changed or vanished
    /// since it was read (412/404). Pass <see cref="ETag.All"/> only on purpose.
    /// </summary>
    public static async Task<ETag?> TryUpdateAsync(this TableClient table, ITableEntity entity, ETag ifMatch, TableUpdateMode mode, CancellationToken ct)
    {
        if (ifMatch == default) throw new ArgumentException("An ETag is required; use ETag.All to update unconditionally.", nameof(ifMatch));
        try
        {
            return (await table.UpdateEntityAsync(entity, ifMatch, mode, ct)).Headers.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }
    }

    /// <summary>Deletes an entity if its ETag still matches; false when it changed or was already gone.</summary>
    public static async Task<bool> TryDeleteAsync(this TableClient table, string partitionKey, string rowKey, ETag ifMatch, CancellationToken ct)
    {
        if (ifMatch == default) throw new ArgumentException("An ETag is required; use ETag.All to delete unconditionally.", nameof(ifMatch));
        try
        {
            return (await table.DeleteEntityAsync(partitionKey, rowKey, ifMatch, ct)).Status != 404;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// One entity group transaction: all or nothing. The service requires one partition, at most 100
    /// operations and each entity once; Azurite does not check the partition rule, so it is checked here.
    /// </summary>
    public static async Task SubmitBatchAsync(this TableClient table, IReadOnlyList<TableTransactionAction> batch, CancellationToken ct)
    {
        if (batch.Count > MaxBatchOperations) throw new ArgumentException($"A transaction holds at most {MaxBatchOperations} operations.", nameof(batch));
        if (batch.Select(a => a.Entity.PartitionKey).Distinct(StringComparer.Ordinal).Count() > 1)
            throw new ArgumentException("Every operation of a transaction must target the same partition.", nameof(batch));
        await table.SubmitTransactionAsync(batch, ct);
    }

    /// <summary>Any number of operations as valid transactions (per partition, ≤ 100 each), several at a time.</summary>
    public static Task SubmitInBatchesAsync(this TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken ct, int parallelism = 8)
    {
        var batches = actions.GroupBy(a => a.Entity.PartitionKey, StringComparer.Ordinal).SelectMany(g => g.Chunk(MaxBatchOperations)).ToList();
        return Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (batch, token) => await table.SubmitBatchAsync(batch, token));
    }

    /// <summary>Rows of one partition whose key starts with <paramref name="prefix"/>, as a range the service can seek.</summary>
    public static string RowKeyPrefix(string partitionKey, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {prefix} and RowKey lt {UpperBound(prefix)}");

    /// <summary>The smallest string greater than every string that starts with <paramref name="prefix"/>.</summary>
    public static string UpperBound(string prefix) =>
        prefix.Length == 0 ? throw new ArgumentException("Empty prefix.", nameof(prefix)) : prefix[..^1] + (char)(prefix[^1] + 1);
}
