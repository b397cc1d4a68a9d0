using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Beacon.Domain.Telemetry;
using Beacon.Domain.Time;

namespace Beacon.Storage.Stores;

/// <summary>
/// Installs' operational telemetry (SPEC §4.7), per license, as <see cref="TelemetryPolicy"/> says:
/// <list type="bullet">
/// <item>TelemetryLatest (PK = license, RK = series key): the latest point of every series;</item>
/// <item>TelemetrySeries (PK = day|license, RK = series|HHmm): one point per 5 minutes;</item>
/// <item>TelemetryRecords (PK = day|license, RK = kind|time counted down|content hash): kept logs and
/// spans, newest first; the hash makes a re-sent export rewrite its rows rather than add to them;</item>
/// <item>TelemetryCounts (PK = license, RK = day): kept, dropped and not-kept counts, and the daily cap.</item>
/// </list>
/// Day-first partition keys let retention delete whole old days with one range read.
/// </summary>
public sealed class TelemetryStore(Tables tables)
{
    public const string Logs = "log";
    public const string Spans = "span";

    private static string DayPartition(DateOnly day, string licenseId) => $"{Timestamps.DayKey(day)}|{licenseId}";

    /// <summary>Stores the latest point of each series and its 5-minute point; both are upserts, so a re-sent export changes nothing.</summary>
    public async Task WriteMetricsAsync(string orgId, string licenseId, IReadOnlyList<MetricPoint> points, DateTimeOffset now, CancellationToken ct = default)
    {
        var latest = points.GroupBy(p => p.SeriesKey).Select(g => g.MaxBy(p => p.TimeUnixNano)!)
            .Select(p => Metric(licenseId, p.SeriesKey, orgId, p, now));
        var series = points.GroupBy(p => (p.SeriesKey, Day: TelemetryPolicy.DayOf(p.TimeUnixNano, now), Slot: TelemetryPolicy.SlotOf(p.TimeUnixNano, now)))
            .Select(g => Metric(DayPartition(g.Key.Day, licenseId), $"{g.Key.SeriesKey}|{g.Key.Slot}", orgId, g.MaxBy(p => p.TimeUnixNano)!, now));
        await tables.TelemetryLatest.SubmitInBatchesAsync(latest.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct);
        await tables.TelemetrySeries.SubmitInBatchesAsync(series.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct);
    }

    /// <summary>
    /// Admits an export's series under the license's series cap (SPEC §15): one point read of the license's
    /// registry, and a conditional write when it changed. Returns the series refused.
    /// </summary>
    public async Task<IReadOnlySet<string>> AdmitSeriesAsync(string licenseId, IReadOnlyCollection<string> seriesKeys, DateTimeOffset now, CancellationToken ct = default)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var stored = await tables.GetAsync(tables.TelemetryCounts, licenseId, SeriesRow, ct: ct);
            var registry = SeriesRegistry.Read(stored?.GetBinary("series"));
            var (refused, changed) = registry.Admit(seriesKeys, today);
            if (!changed) return refused;
            var entity = new TableEntity(licenseId, SeriesRow) { ["series"] = registry.Write(), ["count"] = registry.Count };
            var saved = stored is null
                ? await tables.TelemetryCounts.TryAddAsync(entity, ct)
                : await tables.TelemetryCounts.TryUpdateAsync(entity, stored.ETag, TableUpdateMode.Replace, ct);
            if (saved is not null) return refused;
        }
        throw new Account.StorageContentionException("The license's metric series registry kept changing under concurrent exports.");
    }

    /// <summary>The registry's row beside the per-day counts (whose row keys are dates).</summary>
    private const string SeriesRow = "series";

    private static TableEntity Metric(string pk, string rk, string orgId, MetricPoint p, DateTimeOffset now) => new(pk, rk)
    {
        ["org_id"] = orgId,
        ["instance"] = p.Instance,
        ["name"] = p.Name,
        ["unit"] = p.Unit,
        ["kind"] = p.Kind.ToString().ToLowerInvariant(),
        ["attributes"] = StoredDetail.Of(p.Attributes, attributes => attributes, StorageJson.Default.IReadOnlyDictionaryStringString),
        ["value"] = p.Value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : JsonSerializer.Serialize(p.Histogram, StorageJson.Default.HistogramValue),
        ["at"] = p.TimeUnixNano > 0 ? Timestamps.ToDateTimeOffset(p.TimeUnixNano / 1000) : now,
        ["seen_at"] = now,
    };

    /// <summary>
    /// Counts an export's log records or spans for their day and reserves room under the daily cap for the
    /// ones policy keeps; returns how many of those may be stored (the rest are dropped, and counted).
    /// </summary>
    public async Task<int> AdmitAsync(string orgId, string licenseId, string kind, DateOnly day, int kept, int notKept, CancellationToken ct = default)
    {
        int cap = kind == Logs ? TelemetryPolicy.MaxLogsPerDay : TelemetryPolicy.MaxSpansPerDay;
        int admitted = 0;
        var rk = Timestamps.DayKey(day);
        await Counter.UpdateAsync(tables, tables.TelemetryCounts, licenseId, rk, stored =>
        {
            long already = stored?.GetInt64($"{kind}_kept") ?? 0;
            admitted = TelemetryPolicy.Admit(kept, already, cap);
            var next = stored is null ? new TableEntity(licenseId, rk) { ["org_id"] = orgId } : new TableEntity(stored);
            next[$"{kind}_kept"] = already + admitted;
            next[$"{kind}_dropped"] = (stored?.GetInt64($"{kind}_dropped") ?? 0) + (kept - admitted);
            next[$"{kind}_not_kept"] = (stored?.GetInt64($"{kind}_not_kept") ?? 0) + notKept;
            return next;
        }, ct);
        return admitted;
    }

    /// <summary>
    /// Gives back what <see cref="AdmitAsync"/> reserved when the records could not be written: the daily
    /// cap counts only what was stored. Counted as not received at all (the install retries a 503).
    /// </summary>
    public Task ReleaseAsync(string licenseId, string kind, DateOnly day, int admitted, int overCap, int notKept, CancellationToken ct = default) =>
        Counter.UpdateAsync(tables, tables.TelemetryCounts, licenseId, Timestamps.DayKey(day), stored =>
        {
            var next = stored is null ? new TableEntity(licenseId, Timestamps.DayKey(day)) : new TableEntity(stored);
            next[$"{kind}_kept"] = Math.Max(0, (stored?.GetInt64($"{kind}_kept") ?? 0) - admitted);
            next[$"{kind}_dropped"] = Math.Max(0, (stored?.GetInt64($"{kind}_dropped") ?? 0) - overCap);
            next[$"{kind}_not_kept"] = Math.Max(0, (stored?.GetInt64($"{kind}_not_kept") ?? 0) - notKept);
            return next;
        }, ct);

    /// <summary>
    /// Stores kept log records or spans (each with its time in nanoseconds and its JSON form), adds the keys of the
    /// rows it creates to <paramref name="created"/> as it goes (so a write that fails part-way says what it left),
    /// and returns how many it created. A row that is already there (the same record from an earlier export) is
    /// left as it is and not listed, so <see cref="DeleteRecordsAsync"/> can take back exactly what one export added.
    /// </summary>
    public async Task<int> WriteRecordsAsync(string orgId, string licenseId, string kind, IEnumerable<TelemetryRecord> records, DateTimeOffset now,
        ICollection<(string PartitionKey, string RowKey)> created, CancellationToken ct = default)
    {
        int before = created.Count;
        var entities = records.Select(r =>
        {
            var day = TelemetryPolicy.DayOf(r.UnixNano, now);
            long nanos = r.UnixNano > 0 ? r.UnixNano : Timestamps.FromDateTimeOffset(now) * 1000;
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(r.Instance + "\u0001" + r.Detail)))[..16];
            return new TableEntity(DayPartition(day, licenseId), $"{kind}|{(long.MaxValue - nanos).ToString("D19", CultureInfo.InvariantCulture)}|{hash}")
            {
                ["org_id"] = orgId, ["instance"] = r.Instance, ["detail"] = r.Detail, ["at"] = Timestamps.ToDateTimeOffset(nanos / 1000),
            };
        });
        foreach (var chunk in entities.GroupBy(e => e.PartitionKey, StringComparer.Ordinal).SelectMany(g => g.Chunk(TableWrites.MaxBatchOperations)))
        {
            try
            {
                await tables.TelemetryRecords.SubmitBatchAsync([.. chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e))], ct);
                foreach (var e in chunk) created.Add((e.PartitionKey, e.RowKey));
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                // Some rows exist already: add the others one by one.
                foreach (var entity in chunk)
                    if (await tables.TelemetryRecords.TryAddAsync(entity, ct) is not null) created.Add((entity.PartitionKey, entity.RowKey));
            }
        }
        return created.Count - before;
    }

    /// <summary>Deletes rows one export created (<see cref="WriteRecordsAsync"/>) when the rest of it could not be stored.</summary>
    public async Task DeleteRecordsAsync(IEnumerable<(string PartitionKey, string RowKey)> rows, CancellationToken ct = default)
    {
        foreach (var (pk, rk) in rows) await tables.TelemetryRecords.DeleteEntityAsync(pk, rk, Azure.ETag.All, ct);
    }

    /// <summary>The cursor section of a license's latest metrics (its series, in key order).</summary>
    public const string SeriesSection = "series";

    public async Task<IReadOnlyList<StoredMetric>> LatestAsync(string licenseId, CancellationToken ct = default) =>
        await tables.QueryAsync(tables.TelemetryLatest, TableClient.CreateQueryFilter($"PartitionKey eq {licenseId}"), ct: ct).Select(Latest).ToListAsync(ct);

    /// <summary>A page of a license's latest metrics, one per series in key order (SPEC §15).</summary>
    public async Task<(IReadOnlyList<StoredMetric> Metrics, Domain.Fleet.PageCursor? Next)> LatestPageAsync(
        string licenseId, Domain.Fleet.PageCursor? after, int limit, CancellationToken ct = default)
    {
        var (page, next) = await tables.PageAsync(tables.TelemetryLatest, licenseId, SeriesSection, after, limit, ct);
        return ([.. page.Select(Latest)], next);
    }

    private static StoredMetric Latest(TableEntity e) => new(e.GetString("instance") ?? "", e.GetString("name") ?? "", e.GetString("unit") ?? "", e.GetString("kind") ?? "",
        JsonSerializer.Deserialize(e.GetString("attributes") ?? "{}", StorageJson.Default.DictionaryStringString) ?? [], e.GetString("value") ?? "",
        e.GetDateTimeOffset("at") ?? DateTimeOffset.MinValue, e.GetDateTimeOffset("seen_at") ?? DateTimeOffset.MinValue);

    /// <summary>The 5-minute points of a license's series on one day.</summary>
    public async Task<IReadOnlyList<StoredMetric>> SeriesAsync(string licenseId, DateOnly day, CancellationToken ct = default) =>
        await tables.QueryAsync(tables.TelemetrySeries, TableClient.CreateQueryFilter($"PartitionKey eq {DayPartition(day, licenseId)}"), ct: ct)
            .Select(e => new StoredMetric(e.GetString("instance") ?? "", e.GetString("name") ?? "", e.GetString("unit") ?? "", e.GetString("kind") ?? "",
                JsonSerializer.Deserialize(e.GetString("attributes") ?? "{}", StorageJson.Default.DictionaryStringString) ?? [], e.GetString("value") ?? "",
                e.GetDateTimeOffset("at") ?? DateTimeOffset.MinValue, e.GetDateTimeOffset("seen_at") ?? DateTimeOffset.MinValue))
            .ToListAsync(ct);

    /// <summary>The newest kept records of one kind over the last <see cref="TelemetryPolicy.RecordDays"/> days.</summary>
    public async Task<IReadOnlyList<StoredRecord>> RecordsAsync(string licenseId, string kind, DateTimeOffset now, int limit = 100, CancellationToken ct = default)
    {
        var result = new List<StoredRecord>();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        for (int d = 0; d < TelemetryPolicy.RecordDays && result.Count < limit; d++)
        {
            var filter = TableWrites.RowKeyPrefix(DayPartition(today.AddDays(-d), licenseId), kind + "|");
            await foreach (var e in tables.QueryAsync(tables.TelemetryRecords, filter, ct: ct))
            {
                result.Add(new StoredRecord(kind, e.GetDateTimeOffset("at") ?? DateTimeOffset.MinValue, e.GetString("instance") ?? "", e.GetString("detail") ?? "{}"));
                if (result.Count == limit) break;
            }
        }
        return result;
    }

    /// <summary>
    /// A page of a license's kept records of one kind, newest first, over the retention days (and the day ahead
    /// that clock skew may reach): at most <paramref name="limit"/> + 1 rows read, plus one query per day passed.
    /// The cursor (section = <paramref name="kind"/>) holds the day and the last row served; null when it does not parse.
    /// </summary>
    public async Task<(IReadOnlyList<StoredRecord> Records, Domain.Fleet.PageCursor? Next)?> RecordsPageAsync(
        string licenseId, string kind, DateTimeOffset now, Domain.Fleet.PageCursor? after, int limit, CancellationToken ct = default)
    {
        var newest = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        var oldest = newest.AddDays(-TelemetryPolicy.RecordDays - 1);
        var (day, afterRow) = (newest, (string?)null);
        if (after is not null)
        {
            var cut = after.After.IndexOf('|', StringComparison.Ordinal);
            if (cut != 8 || !DateOnly.TryParseExact(after.After[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)
                || !after.After[(cut + 1)..].StartsWith(kind + "|", StringComparison.Ordinal)) return null;
            afterRow = after.After[(cut + 1)..];
        }
        var rows = new List<(DateOnly Day, TableEntity Row)>();
        for (; day >= oldest && rows.Count <= limit; day = day.AddDays(-1), afterRow = null)
        {
            var prefix = kind + "|";
            var pk = DayPartition(day, licenseId);
            var filter = afterRow is null ? TableWrites.RowKeyPrefix(pk, prefix)
                : TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey gt {afterRow} and RowKey lt {TableWrites.UpperBound(prefix)}");
            rows.AddRange((await tables.TakeAsync(tables.TelemetryRecords, filter, limit + 1 - rows.Count, ct: ct)).Select(e => (day, e)));
        }
        var page = rows.Take(limit).Select(r => new StoredRecord(kind, r.Row.GetDateTimeOffset("at") ?? DateTimeOffset.MinValue, r.Row.GetString("instance") ?? "",
            r.Row.GetString("detail") ?? "{}")).ToList();
        return (page, rows.Count > limit ? new Domain.Fleet.PageCursor(kind, $"{Timestamps.DayKey(rows[limit - 1].Day)}|{rows[limit - 1].Row.RowKey}") : null);
    }

    public async Task<TelemetryCounts> CountsAsync(string licenseId, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var rows = await tables.QueryAsync(tables.TelemetryCounts,
            TableClient.CreateQueryFilter($"PartitionKey eq {licenseId} and RowKey ge {Timestamps.DayKey(from)} and RowKey le {Timestamps.DayKey(to)}"), ct: ct).ToListAsync(ct);
        long Sum(string p) => rows.Sum(r => r.GetInt64(p) ?? 0);
        return new TelemetryCounts(Sum("log_kept"), Sum("log_dropped"), Sum("log_not_kept"), Sum("span_kept"), Sum("span_dropped"), Sum("span_not_kept"));
    }

    /// <summary>
    /// Retention: series days older than 14 days, record days older than 7, latest points of series not
    /// seen for 14 days and counts older than 31 days are deleted. Returns how many entities went.
    /// </summary>
    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        int deleted = 0;
        deleted += await DeleteAsync(tables.TelemetrySeries, TableClient.CreateQueryFilter($"PartitionKey lt {Timestamps.DayKey(today.AddDays(-TelemetryPolicy.SeriesDays))}"), ct);
        deleted += await DeleteAsync(tables.TelemetryRecords, TableClient.CreateQueryFilter($"PartitionKey lt {Timestamps.DayKey(today.AddDays(-TelemetryPolicy.RecordDays))}"), ct);
        deleted += await DeleteAsync(tables.TelemetryLatest, TableClient.CreateQueryFilter($"seen_at lt {now.AddDays(-TelemetryPolicy.SeriesDays)}"), ct);
        deleted += await DeleteAsync(tables.TelemetryCounts, TableClient.CreateQueryFilter($"RowKey lt {Timestamps.DayKey(today.AddDays(-31))}"), ct);
        return deleted;
    }

    private async Task<int> DeleteAsync(TableClient table, string filter, CancellationToken ct)
    {
        var keys = await tables.QueryAsync(table, filter, ["PartitionKey"], ct).ToListAsync(ct);
        await table.SubmitInBatchesAsync(keys.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(k.PartitionKey, k.RowKey), Azure.ETag.All)), ct);
        return keys.Count;
    }
}
