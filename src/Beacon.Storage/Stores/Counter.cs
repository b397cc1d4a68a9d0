using Beacon.Storage.Account;
using Azure.Data.Tables;

namespace Beacon.Storage.Stores;

/// <summary>
/// Read-modify-write of a counter entity under its ETag, safe against lost answers: the entity keeps
/// the tokens of its latest changes, so a change that committed but whose answer was lost (the SDK's
/// retry then meets 412) is recognised by its writer and not applied twice — even when other writers
/// changed the counter in between, which is why one token would not do.
/// </summary>
internal static class Counter
{
    private const string RecentWriters = "recent_writers";
    private const int Keep = 64;

    /// <param name="next">The new entity from the stored one (null when absent); called again after every conflict.</param>
    public static Task UpdateAsync(Tables tables, TableClient table, string partitionKey, string rowKey, Func<TableEntity?, TableEntity> next, CancellationToken ct) =>
        UpdateAsync(tables, table, partitionKey, rowKey, Guid.NewGuid().ToString("N"), next, ct);

    /// <param name="writer">
    /// A token naming this change. One derived from the change itself (not random) makes a replay of the
    /// same change after a crash a no-op too, as long as fewer than 64 other changes came in between.
    /// </param>
    public static async Task UpdateAsync(Tables tables, TableClient table, string partitionKey, string rowKey, string writer, Func<TableEntity?, TableEntity> next, CancellationToken ct)
    {
        // Derived tokens name a change by its entry and sequence number, which can be hundreds of characters;
        // the counter keeps 64 of them and is read on every change, so it keeps a fixed-size digest instead.
        if (writer.Length > 32) writer = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(writer)), 0, 16).TrimEnd('=');
        for (int attempt = 0; attempt < 30; attempt++)
        {
            var stored = await tables.GetAsync(table, partitionKey, rowKey, ct: ct);
            var recent = (stored?.GetString(RecentWriters) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (recent.Contains(writer)) return;
            var entity = next(stored);
            entity[RecentWriters] = string.Join(',', recent.Prepend(writer).Take(Keep));
            var saved = stored is null
                ? await table.TryAddAsync(entity, ct)
                : await table.TryUpdateAsync(entity, stored.ETag, TableUpdateMode.Replace, ct);
            if (saved is not null) return;
            // Many writers on one counter (the fleet-wide counts): spread the retries out a little.
            if (attempt >= 2) await Task.Delay(Random.Shared.Next(1, 4 * attempt), ct);
        }
        throw new StorageContentionException($"The counter {table.Name}({partitionKey}, {rowKey}) kept changing.");
    }
}
