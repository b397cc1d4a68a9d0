using Azure;
using Azure.Data.Tables;
using Beacon.Domain.Fleet;
using Beacon.Domain.Statements;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Statements;

/// <summary>
/// Open months' statement lines as the rollup maintains them (SPEC §15), in the Statements table beside the
/// ledger's partition:
/// <list type="bullet">
/// <item><c>open|YYYY-MM</c>: one row per line, keyed as a closed line ends (<see cref="LineRows"/>), with its totals
/// (<c>t_</c> + meter) and the day they are counted through;</item>
/// <item><c>open-org</c>: one row per org, the rollup epoch and day its lines were last computed at;</item>
/// <item><c>open-summary</c>: one row per month, its lines summed, and <c>stale</c> while lines changed since.</item>
/// </list>
/// A page of lines is one key-range read, whatever the fleet's size: nothing here is computed on a request.
/// </summary>
public sealed class OpenLineStore(Tables tables)
{
    private const string Marks = "open-org";
    private const string Summaries = "open-summary";
    private const string Totals = "t_";

    private static string LinesOf(Month m) => "open|" + m;

    /// <summary>
    /// The rollup epoch, day and meters the org's open lines were last computed at; null before the first time. A
    /// catalog with other meters than the mark's computes every open month again.
    /// </summary>
    public async Task<(long Epoch, DateOnly Through, string Meters)?> GetMarkAsync(string orgId, CancellationToken ct = default) =>
        await tables.GetAsync(tables.Statements, Marks, orgId, ct: ct) is { } e && e.GetInt64("epoch") is { } epoch && Day(e.GetString("through")) is { } through
            ? (epoch, through, e.GetString("meters") ?? "") : null;

    public Task SaveMarkAsync(string orgId, long epoch, DateOnly through, string meters, CancellationToken ct = default) =>
        tables.Statements.UpsertEntityAsync(new TableEntity(Marks, orgId) { ["epoch"] = epoch, ["through"] = Day(through), ["meters"] = meters }, TableUpdateMode.Replace, ct);

    /// <summary>
    /// Makes <paramref name="lines"/> the org's lines of <paramref name="month"/>: upserts them and deletes any other
    /// line of the org. The month's summary is marked stale first, so a run that stops in between still sums it again.
    /// </summary>
    public async Task ReplaceOrgLinesAsync(Month month, string orgId, IReadOnlyList<StatementLine> lines, CancellationToken ct = default)
    {
        var partition = LinesOf(month);
        var keep = lines.Select(l => LineRows.Suffix(l.Key)).ToHashSet(StringComparer.Ordinal);
        var existing = await tables.QueryAsync(tables.Statements, TableWrites.RowKeyPrefix(partition, LineRows.OrgPrefix(orgId)), ["RowKey"], ct)
            .Select(e => e.RowKey).ToListAsync(ct);
        if (lines.Count == 0 && existing.Count == 0) return; // a month without usage, before and after
        await tables.Statements.UpsertEntityAsync(new TableEntity(Summaries, month.ToString()) { ["stale"] = true }, TableUpdateMode.Merge, ct);
        var actions = lines.Select(l => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Entity(partition, l)))
            .Concat(existing.Where(rk => !keep.Contains(rk)).Select(rk => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, rk), ETag.All)));
        await tables.Statements.SubmitInBatchesAsync(actions, ct, parallelism: 1);
    }

    /// <summary>A page of an open month's lines (of one org, or all), in key order.</summary>
    public async Task<LinePage> PageAsync(Month month, string? orgId, PageCursor? after, int limit, CancellationToken ct = default)
    {
        var (rows, next) = await LineRows.PageAsync(tables, tables.Statements, LinesOf(month), "", orgId, after, limit, null, ct);
        return new LinePage([.. rows.Select(Read)], next);
    }

    /// <summary>Every line of an open month, in key order (the CSV export and the summary).</summary>
    public IAsyncEnumerable<StatementLine> ReadAllAsync(Month month, CancellationToken ct = default) =>
        tables.QueryAsync(tables.Statements, TableClient.CreateQueryFilter($"PartitionKey eq {LinesOf(month)}"), ct: ct).Select(Read);

    /// <summary>One org's lines of an open month.</summary>
    public IAsyncEnumerable<StatementLine> ReadOrgAsync(Month month, string orgId, CancellationToken ct = default) =>
        tables.QueryAsync(tables.Statements, TableWrites.RowKeyPrefix(LinesOf(month), LineRows.OrgPrefix(orgId)), ct: ct).Select(Read);

    /// <summary>The summary of an open month's lines as last summed (zero lines before any).</summary>
    public async Task<LineSummary> SummaryAsync(Month month, CancellationToken ct = default) =>
        await tables.GetAsync(tables.Statements, Summaries, month.ToString(), ct: ct) is { } e && e.GetInt32("lines") is { } lines
            ? new LineSummary(lines, TotalsColumns.Read(e, Totals)) : new LineSummary(0, MeterTotals.Empty);

    /// <summary>
    /// Sums every month whose lines changed since it was last summed. Each month is one read of its lines; a month
    /// whose lines change meanwhile stays stale for the next run.
    /// </summary>
    public async Task<int> SummarizeStaleAsync(CancellationToken ct = default)
    {
        var stale = await tables.QueryAsync(tables.Statements, TableClient.CreateQueryFilter($"PartitionKey eq {Summaries} and stale eq {true}"), ct: ct).ToListAsync(ct);
        foreach (var row in stale)
        {
            var summary = LineSummary.Of(await ReadAllAsync(Month.Parse(row.RowKey), ct).ToListAsync(ct));
            var e = new TableEntity(Summaries, row.RowKey) { ["stale"] = false, ["lines"] = summary.Lines };
            TotalsColumns.Write(e, Totals, summary.Totals);
            await tables.Statements.TryUpdateAsync(e, row.ETag, TableUpdateMode.Replace, ct);
        }
        return stale.Count;
    }

    private static TableEntity Entity(string partition, StatementLine l)
    {
        var e = new TableEntity(partition, LineRows.Suffix(l.Key))
        {
            ["org_id"] = l.Key.OrgId, ["license_id"] = l.Key.LicenseId, ["org_name"] = l.OrgName, ["plan"] = l.Plan ?? "",
            ["source"] = UsageNames.Of(l.Key.Source), ["through"] = l.Through is { } through ? Day(through) : null,
        };
        TotalsColumns.Write(e, Totals, l.Totals);
        return e;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static DateOnly? Day(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d : null;


    private static StatementLine Read(TableEntity e)
    {
        var plan = e.GetString("plan") ?? "";
        var source = UsageNames.TryParseSource(e.GetString("source"), out var s) ? s : UsageSource.Metered;
        return new StatementLine(new LineKey(e.GetString("org_id") ?? "", e.GetString("license_id") ?? "", source), e.GetString("org_name") ?? "",
            plan.Length == 0 ? null : plan, TotalsColumns.Read(e, Totals))
        {
            Through = Day(e.GetString("through")),
        };
    }
}
