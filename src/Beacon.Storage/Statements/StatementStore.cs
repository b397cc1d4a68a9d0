using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Beacon.Domain.Meters;
using Beacon.Domain.Statements;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Statements;

/// <summary>
/// The statements ledger: one partition of the Statements table holding month rows
/// (<c>month|YYYY-MM</c>), closed months' lines (<c>line|YYYY-MM|close id|org|license</c>, and
/// <c>|self_reported</c> for a self-reported line) and
/// adjustments (<c>adj|recorded-in month|ticks|id</c>). One partition, because every change that must
/// be all-or-nothing spans those rows: a late-usage adjustment updates its line's accounted totals,
/// inserts its rows and checks that the month it is recorded in is still open, in one entity group
/// transaction. The ledger grows by lines per org and license per month, far below one partition's
/// limits. Totals are columns per meter (<c>f_</c> frozen, <c>a_</c> accounted + the meter's name); a line
/// frozen before a meter existed has no column for it.
/// </summary>
public sealed class StatementStore(Tables tables, MeterCatalog catalog, TimeProvider time)
{
    private const string Partition = "ledger";

    private static string MonthRow(Month m) => "month|" + m;

    private static string LinePrefix(Month m, string closeId) => $"line|{m}|{closeId}|";

    private static string AdjustmentPrefix(Month recordedIn) => $"adj|{recordedIn}|";

    public async Task<IReadOnlyDictionary<Month, StoredMonth>> ListMonthsAsync(CancellationToken ct = default)
    {
        var months = new Dictionary<Month, StoredMonth>();
        await foreach (var e in tables.QueryAsync(tables.Statements, TableWrites.RowKeyPrefix(Partition, "month|"), ct: ct))
        {
            var m = ReadMonth(e);
            months[m.Month] = m;
        }
        return months;
    }

    public async Task<StoredMonth?> GetMonthAsync(Month month, CancellationToken ct = default) =>
        await tables.GetAsync(tables.Statements, Partition, MonthRow(month), ct: ct) is { } e ? ReadMonth(e) : null;

    /// <summary>Writes a close attempt's lines; invisible until <see cref="TryMarkClosedAsync"/> names the attempt.</summary>
    public Task WriteLinesAsync(Month month, string closeId, IEnumerable<StatementLine> lines, CancellationToken ct = default) =>
        tables.Statements.SubmitInBatchesAsync(
            lines.Select(l => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                LineEntity(LineRow(month, closeId, l.Key), l.Key, l.OrgName, l.Plan, l.Totals, l.Totals, true))),
            ct, parallelism: 1);

    private static string LineRow(Month month, string closeId, LineKey key) => LinePrefix(month, closeId) + LineRows.Suffix(key);

    /// <summary>
    /// Marks the month closed by attempt <paramref name="closeId"/> if its row is still as read
    /// (<paramref name="previous"/>, null = no row), with the summary of the lines it froze. True when this
    /// attempt's close is what is stored — also when the write committed and its answer was lost.
    /// </summary>
    public async Task<bool> TryMarkClosedAsync(
        Month month, StoredMonth? previous, string closeId, DateTimeOffset closedAt, string actor, LineSummary summary, CancellationToken ct = default)
    {
        var e = new TableEntity(Partition, MonthRow(month))
        {
            ["state"] = "closed", ["closed_at"] = closedAt, ["closed_by"] = actor, ["close_id"] = closeId, ["lines"] = summary.Lines,
        };
        TotalsColumns.Write(e, "t_", summary.Totals);
        var etag = previous is null
            ? await tables.Statements.TryAddAsync(e, ct)
            : await tables.Statements.TryUpdateAsync(e, previous.ETag, TableUpdateMode.Merge, ct);
        if (etag is not null) return true;
        return (await GetMonthAsync(month, ct))?.CloseId == closeId;
    }

    /// <summary>The lines of a closed month's close (of one org, or all).</summary>
    public async IAsyncEnumerable<StoredLine> ReadLinesAsync(Month month, string closeId, string? orgId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var prefix = LinePrefix(month, closeId) + (orgId is null ? "" : orgId + "|");
        await foreach (var e in tables.QueryAsync(tables.Statements, TableWrites.RowKeyPrefix(Partition, prefix), ct: ct))
            yield return ReadLine(e);
    }

    /// <summary>A page of a closed month's lines on its statement, in key order.</summary>
    public async Task<LinePage> PageLinesAsync(Month month, string closeId, string? orgId, Domain.Fleet.PageCursor? after, int limit, CancellationToken ct = default)
    {
        var (rows, next) = await LineRows.PageAsync(tables, tables.Statements, Partition, LinePrefix(month, closeId), orgId, after, limit,
            TableClient.CreateQueryFilter($"on_statement eq {true}"), ct);
        return new LinePage([.. rows.Select(ReadLine).Select(l => l.OnStatementLine(month))], next);
    }

    /// <summary>
    /// The summary of a closed month's lines: stored with the close, or summed from its lines for a month closed
    /// before closes stored one.
    /// </summary>
    public async Task<LineSummary> SummaryAsync(StoredMonth closed, CancellationToken ct = default)
    {
        if (closed.Summary is { } stored) return stored;
        return LineSummary.Of(await ReadLinesAsync(closed.Month, closed.CloseId!, null, ct).Where(l => l.OnStatement).Select(l => l.OnStatementLine(closed.Month)).ToListAsync(ct));
    }

    /// <summary>The adjustments recorded on a month's statement, oldest first.</summary>
    public async IAsyncEnumerable<StoredAdjustment> ReadAdjustmentsAsync(Month recordedIn, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var e in tables.QueryAsync(tables.Statements, TableWrites.RowKeyPrefix(Partition, AdjustmentPrefix(recordedIn)), ct: ct))
            yield return ReadAdjustment(e);
    }

    public async Task<bool> AdjustmentExistsAsync(StoredAdjustment a, CancellationToken ct = default) =>
        await tables.GetAsync(tables.Statements, Partition, AdjustmentRow(a), ["PartitionKey"], ct) is not null;

    /// <summary>
    /// One all-or-nothing change: the adjustments are inserted; the month they are recorded in is
    /// checked to be still as read (<paramref name="recordingRow"/>; created open when null); and for
    /// late usage, the line's accounted totals become <paramref name="accounted"/> if the line is still
    /// as read (<paramref name="line"/>; created off-statement when null). False when anything changed
    /// in between (or this very change committed and its answer was lost): read again and decide again.
    /// </summary>
    public async Task<bool> TryRecordAsync(
        Month recordingMonth, StoredMonth? recordingRow, IReadOnlyList<StoredAdjustment> adjustments,
        LateUsageRecord? lateUsage, CancellationToken ct = default)
    {
        var actions = new List<TableTransactionAction>();
        var monthEntity = new TableEntity(Partition, MonthRow(recordingMonth)) { ["touched_at"] = time.GetUtcNow() };
        if (recordingRow is null)
        {
            monthEntity["state"] = "open";
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, monthEntity));
        }
        else
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, monthEntity, recordingRow.ETag));
        }
        if (lateUsage is { } late)
        {
            if (late.Line is { } line)
            {
                var e = new TableEntity(Partition, line.RowKey);
                TotalsColumns.Write(e, "a_", late.Accounted);
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, e, line.ETag));
            }
            else
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add,
                    LineEntity(LineRow(late.Month, late.CloseId, late.Key), late.Key, "", null, MeterTotals.Zero(catalog), late.Accounted, false)));
            }
        }
        actions.AddRange(adjustments.Select(a => new TableTransactionAction(TableTransactionActionType.Add, AdjustmentEntity(a))));
        try
        {
            await tables.Statements.SubmitBatchAsync(actions, ct);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    private static TableEntity LineEntity(string rk, LineKey key, string orgName, string? plan, MeterTotals frozen, MeterTotals accounted, bool onStatement)
    {
        var e = new TableEntity(Partition, rk)
        {
            ["org_id"] = key.OrgId, ["license_id"] = key.LicenseId, ["org_name"] = orgName, ["plan"] = plan ?? "", ["on_statement"] = onStatement,
            ["source"] = UsageNames.Of(key.Source),
        };
        TotalsColumns.Write(e, "f_", frozen);
        TotalsColumns.Write(e, "a_", accounted);
        return e;
    }

    private static StoredLine ReadLine(TableEntity e)
    {
        var plan = e.GetString("plan") ?? "";
        return new StoredLine(new LineKey(e.GetString("org_id") ?? "", e.GetString("license_id") ?? "", SourceOf(e)), e.GetString("org_name") ?? "",
            plan.Length == 0 ? null : plan, TotalsColumns.Read(e, "f_"), TotalsColumns.Read(e, "a_"), e.GetBoolean("on_statement") ?? false, e.RowKey, e.ETag);
    }

    private static StoredMonth ReadMonth(TableEntity e)
    {
        var month = Month.Parse(e.RowKey["month|".Length..]);
        return new StoredMonth(month, e.GetString("state") == "closed", e.GetDateTimeOffset("closed_at"), e.GetString("closed_by"), e.GetString("close_id"), e.ETag)
        {
            Summary = e.GetInt32("lines") is { } lines ? new LineSummary(lines, TotalsColumns.Read(e, "t_")) : null,
        };
    }

    private static string AdjustmentRow(StoredAdjustment a) =>
        $"{AdjustmentPrefix(a.RecordedInMonth)}{a.RecordedAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|{a.Id}";

    private static TableEntity AdjustmentEntity(StoredAdjustment a) => new(Partition, AdjustmentRow(a))
    {
        ["id"] = a.Id,
        ["org_id"] = a.OrgId,
        ["license_id"] = a.LicenseId ?? "",
        ["metric"] = a.Metric,
        ["delta"] = Int128Column.Write(a.Delta),
        ["for_month"] = a.ForMonth.ToString(),
        ["recorded_in_month"] = a.RecordedInMonth.ToString(),
        ["reason"] = a.Reason,
        ["recorded_at"] = a.RecordedAt,
        ["actor"] = a.Actor,
        ["source"] = UsageNames.Of(a.Source),
    };

    /// <summary>Rows written before sources existed have none: they are metered.</summary>
    private static UsageSource SourceOf(TableEntity e) => UsageNames.TryParseSource(e.GetString("source"), out var s) ? s : UsageSource.Metered;

    private static StoredAdjustment ReadAdjustment(TableEntity e)
    {
        var metric = e.GetString("metric") ?? "";
        var forMonth = Month.Parse(e.GetString("for_month"));
        var recordedIn = Month.Parse(e.GetString("recorded_in_month"));
        var license = e.GetString("license_id") ?? "";
        return new StoredAdjustment(e.GetString("id") ?? "", e.GetString("org_id") ?? "", license.Length == 0 ? null : license, metric,
            Int128Column.Read(e, "delta"), forMonth, recordedIn, e.GetString("reason") ?? "", e.GetDateTimeOffset("recorded_at") ?? DateTimeOffset.MinValue,
            e.GetString("actor") ?? "", SourceOf(e));
    }
}
