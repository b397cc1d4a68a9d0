using Beacon.Storage.Account;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Beacon.Domain.Meters;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;

namespace Beacon.Storage.Stores;

/// <summary>
/// Deployment usage windows. One entity per window key (org, workspace, project, from_timestamp µs)
/// in the partition of its first UTC day; a window that reaches past its first day also gets a pointer in
/// WindowSpans so reads of later days find it. What a window contributes to each day is not stored: the
/// meters derive it from the window's span and counts when they read it (<see cref="WindowMeters"/>), so
/// windows stored before a meter existed count for it too. (Windows written before 2026-11-26 also carry
/// a <c>days</c> column with their split; nothing reads it.)
/// </summary>
public sealed class WindowStore(Tables tables, DirtyDayStore dirty)
{
    private const int MaxInlineDiagnosticsChars = 30_000;
    private static readonly string[] FactColumns = ["workspace_id", "project_id", "user_id", "api_key_short_key", "license_id", "credential", "from_us", "to_us", "runs", "nodes"];

    public static string PartitionOf(string orgId, DateOnly day) => $"{orgId}|{Timestamps.DayKey(day)}";

    public static string RowOf(string workspaceId, string projectId, long fromMicros) =>
        $"{workspaceId}|{KeyPart.Of(projectId)}|{fromMicros.ToString("D19", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Stores a window under its key. A new key is one conditional insert; for an existing key the
    /// domain's <see cref="Supersede"/> rule decides, and a replacement is conditional on the ETag that
    /// was read, so concurrent reports of one key end in the newest, never a mix.
    /// </summary>
    public async Task<WindowWrite> SupersedeWindowAsync(string orgId, UsageReport report, Reporter reporter, DateTimeOffset now, CancellationToken ct = default)
    {
        var shares = report.SplitByDay();
        var first = shares[0].Day;
        var last = shares[^1].Day;
        var pk = PartitionOf(orgId, first);
        var rk = RowOf(report.WorkspaceId, report.ProjectId, report.FromMicros);

        // Order matters: the dirty mark and the span pointer go first, so that whatever reads the
        // window's days later (a query, a rollup) can never miss the window once it exists.
        var past = DayRuns.Past(shares.Select(s => s.Day), now);
        if (past.Count > 0) await dirty.MarkAsync(orgId, [(past[0].First, past[^1].Last)], now, ct);
        if (last > first)
        {
            await tables.WindowSpans.UpsertEntityAsync(new TableEntity(orgId, $"{Timestamps.DayKey(last)}|{Timestamps.DayKey(first)}|{rk}")
            {
                ["first_day"] = Timestamps.DayKey(first), ["window_pk"] = pk, ["window_rk"] = rk,
            }, TableUpdateMode.Replace, ct);
        }

        var entity = await BuildEntityAsync(pk, rk, report, reporter, now, ct);
        for (int attempt = 0; attempt < 20; attempt++)
        {
            if (await tables.UsageWindows.TryAddAsync(entity, ct) is not null) return new WindowWrite(SupersedeOutcome.Inserted, report.Runs, report.Nodes);
            var existing = await tables.GetAsync(tables.UsageWindows, pk, rk, ["to_us", "runs", "nodes", "license_id", "credential"], ct);
            if (existing is null) continue; // deleted in between: insert again
            var outcome = Supersede.Decide(existing.GetInt64("to_us") ?? 0, existing.GetInt64("runs") ?? 0, existing.GetInt64("nodes") ?? 0, report);
            if (outcome == SupersedeOutcome.IgnoredLowerCounts) await CountIgnoredAsync(orgId, reporter, now, ct);
            if (outcome != SupersedeOutcome.Replaced) return new WindowWrite(outcome, 0, 0);
            entity["license_id"] = BilledLicense.OnSupersede(reporter.LicenseId, Reporter.LicenseOf(existing.GetString("license_id"), existing.GetString("credential")));
            if (await tables.UsageWindows.TryUpdateAsync(entity, existing.ETag, TableUpdateMode.Replace, ct) is not null)
                return new WindowWrite(SupersedeOutcome.Replaced, report.Runs - (existing.GetInt64("runs") ?? 0), report.Nodes - (existing.GetInt64("nodes") ?? 0));
        }
        throw new StorageContentionException("The usage window kept changing under concurrent reports.");
    }

    /// <summary>
    /// Stores many windows that are expected to be new (the demo's seed and its top-ups) with the same
    /// ordering guarantees as <see cref="SupersedeWindowAsync"/>, in far fewer requests: one dirty mark for
    /// all their past days first, then the pointers of windows that cross midnight, then the windows
    /// themselves in transactions of up to 100 per partition. A transaction that meets an existing key
    /// (a top-up overlapping what was sent before) fails whole, and its windows then go one by one through
    /// <see cref="SupersedeWindowAsync"/>, so the result is the same as sending every window alone.
    /// </summary>
    public async Task AddWindowsAsync(string orgId, IReadOnlyList<(UsageReport Report, Reporter Reporter)> windows, DateTimeOffset now, CancellationToken ct = default)
    {
        var rows = new List<(TableEntity Entity, UsageReport Report, Reporter Reporter)>();
        var alone = new List<(UsageReport Report, Reporter Reporter)>();
        var spans = new List<TableTransactionAction>();
        var days = new SortedSet<DateOnly>();
        foreach (var (report, reporter) in windows)
        {
            var shares = report.SplitByDay();
            var (first, last) = (shares[0].Day, shares[^1].Day);
            var pk = PartitionOf(orgId, first);
            var rk = RowOf(report.WorkspaceId, report.ProjectId, report.FromMicros);
            var entity = ToEntity(pk, rk, report, reporter, now);
            var tags = JsonSerializer.Serialize(report.Tags, StorageJson.Default.IReadOnlyDictionaryStringString);
            if (report.LogCount > 0 || tags.Length > MaxInlineDiagnosticsChars || ((string)entity["measures"]).Length > MaxInlineDiagnosticsChars)
            {
                alone.Add((report, reporter)); // diagnostics that go to a blob first
                continue;
            }
            entity["tags"] = tags;
            rows.Add((entity, report, reporter));
            foreach (var share in shares) days.Add(share.Day);
            if (last > first)
                spans.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(orgId, $"{Timestamps.DayKey(last)}|{Timestamps.DayKey(first)}|{rk}")
                {
                    ["first_day"] = Timestamps.DayKey(first), ["window_pk"] = pk, ["window_rk"] = rk,
                }));
        }

        var past = DayRuns.Past(days, now);
        if (past.Count > 0) await dirty.MarkAsync(orgId, past, now, ct);
        await tables.WindowSpans.SubmitInBatchesAsync(spans.DistinctBy(a => a.Entity.RowKey, StringComparer.Ordinal), ct);
        var batches = rows.GroupBy(r => r.Entity.PartitionKey, StringComparer.Ordinal).SelectMany(g => g.Chunk(TableWrites.MaxBatchOperations)).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (batch, token) =>
        {
            try
            {
                await tables.UsageWindows.SubmitBatchAsync([.. batch.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r.Entity))], token);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 400)
            {
                // A key that exists already, or one key twice in the batch: nothing of the batch was written.
                foreach (var r in batch) await SupersedeWindowAsync(orgId, r.Report, r.Reporter, now, token);
            }
        });
        foreach (var (report, reporter) in alone) await SupersedeWindowAsync(orgId, report, reporter, now, ct);
    }

    /// <summary>A lower-count supersede is counted per reporting credential and day, for the vendor to follow up.</summary>
    private Task CountIgnoredAsync(string orgId, Reporter reporter, DateTimeOffset now, CancellationToken ct)
    {
        var pk = reporter.CredentialKind + ":" + reporter.CredentialId;
        var day = Timestamps.DayKey(DateOnly.FromDateTime(now.UtcDateTime));
        return Counter.UpdateAsync(tables, tables.IgnoredReports, pk, day, stored => new TableEntity(pk, day)
        {
            ["org_id"] = orgId,
            ["lower_counts"] = (stored?.GetInt64("lower_counts") ?? 0) + 1,
            ["last_at"] = now,
        }, ct);
    }

    /// <summary>How many reports of a credential were ignored for lowering billed usage, over the days [from, to].</summary>
    public async Task<long> CountLowerCountSupersedesAsync(Reporter reporter, DateOnly from, DateOnly to, CancellationToken ct = default) =>
        (await tables.QueryAsync(tables.IgnoredReports,
                TableClient.CreateQueryFilter($"PartitionKey eq {reporter.CredentialKind + ":" + reporter.CredentialId} and RowKey ge {Timestamps.DayKey(from)} and RowKey le {Timestamps.DayKey(to)}"),
                ["lower_counts"], ct).ToListAsync(ct))
            .Sum(e => e.GetInt64("lower_counts") ?? 0);

    private async Task<TableEntity> BuildEntityAsync(string pk, string rk, UsageReport report, Reporter reporter, DateTimeOffset now, CancellationToken ct)
    {
        var e = ToEntity(pk, rk, report, reporter, now);
        var tags = JsonSerializer.Serialize(report.Tags, StorageJson.Default.IReadOnlyDictionaryStringString);
        var measures = (string)e["measures"];
        if (report.LogCount == 0 && tags.Length <= MaxInlineDiagnosticsChars && measures.Length <= MaxInlineDiagnosticsChars)
        {
            e["tags"] = tags;
            return e;
        }
        // Large diagnostics go to a blob, written before the entity that references it. A string
        // property is limited to 64 KiB, so without this many long measure names would make Table
        // Storage refuse the window for good.
        if (measures.Length > MaxInlineDiagnosticsChars) e["measures"] = "{}";
        var blob = $"windows/{pk.Replace('|', '/')}/{KeyPart.Of(rk)}-{report.ToMicros.ToString(CultureInfo.InvariantCulture)}.json";
        var body = $"{{\"tags\":{tags},\"measures\":{measures},\"logs\":{report.LogsJson}}}";
        await tables.Diagnostics.GetBlobClient(blob).UploadAsync(BinaryData.FromString(body), overwrite: true, ct);
        e["diagnostics_blob"] = blob;
        return e;
    }

    /// <summary>The stored form of a window without its diagnostics (the benchmark's bulk loader uses it too).</summary>
    public static TableEntity ToEntity(string pk, string rk, UsageReport report, Reporter reporter, DateTimeOffset now) => new(pk, rk)
    {
        ["workspace_id"] = report.WorkspaceId,
        ["project_id"] = report.ProjectId,
        ["from_us"] = report.FromMicros,
        ["to_us"] = report.ToMicros,
        ["runs"] = report.Runs,
        ["nodes"] = report.Nodes,
        ["user_id"] = reporter.UserId,
        ["api_key_short_key"] = reporter.ApiKeyShortKey,
        ["credential"] = reporter.CredentialKind + ":" + reporter.CredentialId,
        ["license_id"] = reporter.LicenseId,
        ["host_kind"] = report.Tags.GetValueOrDefault(UsageReport.HostTag, ""),
        ["measures"] = JsonSerializer.Serialize(report.OtherMeasures, StorageJson.Default.IReadOnlyDictionaryStringDouble),
        ["log_count"] = report.LogCount,
        ["received_at"] = now,
    };

    /// <summary>The stored window of a key, for support and tests; null when absent.</summary>
    public Task<TableEntity?> GetAsync(string orgId, string workspaceId, string projectId, long fromMicros, CancellationToken ct = default) =>
        tables.GetAsync(tables.UsageWindows, PartitionOf(orgId, Timestamps.DayOf(fromMicros)), RowOf(workspaceId, projectId, fromMicros), ct: ct);

    /// <summary>
    /// Every stored window that overlaps [<paramref name="from"/>, <paramref name="to"/>), in order of its
    /// first day (what <see cref="WindowDays"/> needs): first those that began earlier and reach into the
    /// range (found through their span pointers), then the range's own (one range query over day
    /// partitions, which Table Storage returns in key order).
    /// </summary>
    public async IAsyncEnumerable<WindowFacts> ReadWindowsAsync(
        string orgId, DateOnly from, DateOnly to, IReadOnlyCollection<string>? workspaceIds, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var fromKey = Timestamps.DayKey(from);
        var spanFilter = TableClient.CreateQueryFilter($"PartitionKey eq {orgId} and RowKey ge {fromKey} and first_day lt {fromKey}");
        var earlier = await tables.QueryAsync(tables.WindowSpans, spanFilter, ["window_pk", "window_rk", "first_day"], ct)
            .Select(s => (Pk: s.GetString("window_pk") ?? "", Rk: s.GetString("window_rk") ?? "", First: s.GetString("first_day") ?? ""))
            .Distinct()
            .ToListAsync(ct);
        foreach (var (pk, rk, _) in earlier.OrderBy(e => e.First, StringComparer.Ordinal))
        {
            var e = await tables.GetAsync(tables.UsageWindows, pk, rk, FactColumns, ct);
            if (e is null) continue; // pointer written, window write failed: nothing to count
            if (FactsOf(e, workspaceIds) is { } w) yield return w;
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {PartitionOf(orgId, from)} and PartitionKey lt {PartitionOf(orgId, to)}")
                     + WorkspaceFilter.Clause(workspaceIds);
        await foreach (var e in tables.QueryAsync(tables.UsageWindows, filter, FactColumns, ct))
            if (FactsOf(e, workspaceIds) is { } w) yield return w;
    }

    private static WindowFacts? FactsOf(TableEntity e, IReadOnlyCollection<string>? workspaceIds)
    {
        var ws = e.GetString("workspace_id") ?? "";
        if (!WorkspaceFilter.Accepts(workspaceIds, ws)) return null;
        var key = new CellKey(ws, e.GetString("project_id") ?? "", e.GetString("user_id") ?? "", e.GetString("api_key_short_key") ?? "",
            Reporter.LicenseOf(e.GetString("license_id"), e.GetString("credential")), null);
        return new WindowFacts(key, e.GetInt64("from_us") ?? 0, e.GetInt64("to_us") ?? 0, new Dictionary<string, long>(StringComparer.Ordinal)
        {
            [UsageReport.RunsMeasure] = e.GetInt64("runs") ?? 0,
            [UsageReport.NodesMeasure] = e.GetInt64("nodes") ?? 0,
        });
    }
}
