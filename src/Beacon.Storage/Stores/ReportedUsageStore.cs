using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure.Data.Tables;
using Beacon.Domain.Reports;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;
using Beacon.Storage.Account;

namespace Beacon.Storage.Stores;

/// <summary>
/// Self-reported usage in effect (table ReportedUsage): per org and kind a partition, one entity per UTC
/// day and license holding that day's rows from the latest report that covered it. Putting a report in
/// effect replaces each of its days whole, in one write per day, and only with a later report than the
/// one in effect (<c>seq</c>), so applying twice, or applying an older report after a newer one, changes
/// nothing: the last report wins per day. Rows are JSON in binary columns of up to 60,000 bytes (a day
/// holds at most <see cref="Domain.Reports.ReportLimits.MaxGroupsPerDay"/> rows, well inside an entity's 1 MiB).
/// </summary>
public sealed class ReportedUsageStore(Tables tables)
{
    private const int ChunkBytes = 60_000;

    // Text as UTF-8, not \u escapes (six bytes a character): the rows of a day must fit one entity whatever the ids' script.
    private static readonly JsonTypeInfo<ReportedUsageRow[]> Compact = (JsonTypeInfo<ReportedUsageRow[]>)new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, TypeInfoResolver = StorageJson.Default,
    }.GetTypeInfo(typeof(ReportedUsageRow[]));
    private const int MaxAttempts = 20;

    public static string PartitionOf(string orgId, UsageKind kind) => $"{orgId}|{(kind == UsageKind.Traces ? 't' : 'd')}";

    /// <summary>Makes <paramref name="rows"/> the license's usage of <paramref name="day"/>, unless a report later than <paramref name="seq"/> is in effect there.</summary>
    public async Task ApplyDayAsync(string orgId, UsageKind kind, string licenseId, DateOnly day, long seq, string reportId, IEnumerable<ReportedRow> rows, CancellationToken ct = default)
    {
        var pk = PartitionOf(orgId, kind);
        var rk = Timestamps.DayKey(day) + "|" + licenseId;
        var entity = new TableEntity(pk, rk) { ["seq"] = seq, ["report_id"] = reportId, ["license_id"] = licenseId };
        var json = JsonSerializer.SerializeToUtf8Bytes([.. rows.Select(r => new ReportedUsageRow(r.WorkspaceId, r.ProjectId, [.. r.Values]))], Compact);
        for (int i = 0; i * ChunkBytes < json.Length; i++)
            entity["rows" + i] = json.AsSpan(i * ChunkBytes, Math.Min(ChunkBytes, json.Length - i * ChunkBytes)).ToArray();
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var existing = await tables.GetAsync(tables.ReportedUsage, pk, rk, ["seq"], ct);
            if (existing is null)
            {
                if (await tables.ReportedUsage.TryAddAsync(entity, ct) is not null) return;
                continue;
            }
            if ((existing.GetInt64("seq") ?? 0) >= seq) return; // this report, or a later one, is in effect
            if (await tables.ReportedUsage.TryUpdateAsync(entity, existing.ETag, TableUpdateMode.Replace, ct) is not null) return;
        }
        throw new StorageContentionException($"Self-reported usage of {day:yyyy-MM-dd} kept changing while a report was applied.");
    }

    /// <summary>Every row in effect of days in [<paramref name="from"/>, <paramref name="to"/>), with its license, in stored workspaces <paramref name="workspaceIds"/> (null for all).</summary>
    public async IAsyncEnumerable<(DateOnly Day, string LicenseId, ReportedRow Row)> ReadAsync(
        string orgId, UsageKind kind, DateOnly from, DateOnly to, IReadOnlyCollection<string>? workspaceIds, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {PartitionOf(orgId, kind)} and RowKey ge {Timestamps.DayKey(from)} and RowKey lt {Timestamps.DayKey(to)}");
        await foreach (var e in tables.QueryAsync(tables.ReportedUsage, filter, ct: ct))
        {
            var day = Timestamps.ParseDayKey(e.RowKey[..8]);
            var license = e.GetString("license_id") ?? "";
            using var bytes = new MemoryStream();
            for (int i = 0; e.GetBinary("rows" + i) is { } chunk; i++) bytes.Write(chunk);
            foreach (var r in JsonSerializer.Deserialize(bytes.ToArray(), StorageJson.Default.ReportedUsageRowArray) ?? [])
                if (WorkspaceFilter.Accepts(workspaceIds, r.W))
                    yield return (day, license, new ReportedRow(day, r.W, "", r.P, "", r.V));
        }
    }
}
