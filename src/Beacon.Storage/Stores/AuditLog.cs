using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;

namespace Beacon.Storage.Stores;

/// <summary>
/// The append-only audit log. Records are only ever inserted (never updated or deleted; this class has
/// no such method): one partition (changes by operators are few), RK = time counted down plus a random id, so reading newest first is
/// a plain forward query. An insert retried after a lost answer meets its own row (409) and stops, so
/// each change is recorded once.
/// </summary>
public sealed class AuditLog(Tables tables, TimeProvider time)
{
    public const string CliActor = "cli";

    /// <summary>Changes Beacon makes by itself (a webhook endpoint disabled after five days of failures).</summary>
    public const string SystemActor = "beacon";
    private const string Partition = "audit";

    /// <summary>The one section of the audit listing's cursors.</summary>
    public const string Section = "audit";

    public async Task AppendAsync(string actor, string action, string target, IReadOnlyDictionary<string, string?>? detail = null, CancellationToken ct = default)
    {
        var at = time.GetUtcNow();
        var entity = new TableEntity(Partition, $"{(long.MaxValue - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture)}|{Guid.NewGuid():N}")
        {
            ["at"] = at,
            ["actor"] = actor,
            ["action"] = action,
            ["target"] = target,
            ["detail"] = JsonSerializer.Serialize(detail ?? new Dictionary<string, string?>(), StorageJson.Default.DictionaryStringString),
        };
        await tables.Audit.TryAddAsync(entity, ct); // null = 409: this very row, written by a retry whose first answer was lost
    }

    /// <summary>A page of records, newest first, after <paramref name="after"/>; the cursor of the next page, or null at the end.</summary>
    public async Task<(IReadOnlyList<AuditRecord> Records, Domain.Fleet.PageCursor? Next)> PageAsync(Domain.Fleet.PageCursor? after, int limit, CancellationToken ct = default)
    {
        var (page, next) = await tables.PageAsync(tables.Audit, Partition, Section, after, limit, ct);
        return ([.. page.Select(Read)], next);
    }

    private static AuditRecord Read(TableEntity e) => new(
        e.GetDateTimeOffset("at") ?? DateTimeOffset.MinValue,
        e.GetString("actor") ?? "",
        e.GetString("action") ?? "",
        e.GetString("target") ?? "",
        JsonSerializer.Deserialize(e.GetString("detail") ?? "{}", StorageJson.Default.DictionaryStringString) ?? []);
}
