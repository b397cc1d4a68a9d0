using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Beacon.Domain.Fleet;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Reports;

/// <summary>
/// The chain of accepted self-reported files per license (table UsageReports, PK = license id): a
/// <c>head</c> row naming the latest report, and one row per report (<c>r|</c> + sequence counted down, so
/// a license's reports list newest first). A report is accepted by one entity-group transaction that
/// inserts its row and moves the head from the state it was read in: two uploads at once cannot both
/// extend the chain from the same report. The file's bytes are kept in a blob, written before the
/// transaction, so a report whose rows were not yet applied (a crash in between) can be applied later.
/// </summary>
public sealed class UsageReportStore(Tables tables)
{
    /// <summary>The one section of the report listing's cursors.</summary>
    public const string Section = "usage-reports";

    private const string HeadRow = "head";
    private const string ReportPrefix = "r|";

    private static string RowOf(long seq) => ReportPrefix + (long.MaxValue - seq).ToString("D19", CultureInfo.InvariantCulture);

    public static string FileName(string licenseId, string reportId) => $"{licenseId}/{reportId}.csv";

    public async Task<ReportHead?> GetHeadAsync(string licenseId, CancellationToken ct = default) =>
        await tables.GetAsync(tables.UsageReports, licenseId, HeadRow, ct: ct) is { } e
            ? new ReportHead(e.GetInt64("seq") ?? 0, e.GetString("sha256") ?? "", e.GetString("report_id") ?? "", e.GetBoolean("pending") ?? false, e.ETag)
            : null;

    public async Task<StoredReport?> GetReportAsync(string licenseId, long seq, CancellationToken ct = default) =>
        await tables.GetAsync(tables.UsageReports, licenseId, RowOf(seq), ct: ct) is { } e ? Read(e) : null;

    /// <summary>Keeps the file's bytes (idempotent: the name is the report's id).</summary>
    public async Task SaveFileAsync(string licenseId, string reportId, BinaryData bytes, CancellationToken ct = default) =>
        await tables.Reports.GetBlobClient(FileName(licenseId, reportId)).UploadAsync(bytes, overwrite: true, ct);

    public async Task<BinaryData> ReadFileAsync(string licenseId, string reportId, CancellationToken ct = default) =>
        (await tables.Reports.GetBlobClient(FileName(licenseId, reportId)).DownloadContentAsync(ct)).Value.Content;

    /// <summary>
    /// Accepts <paramref name="report"/> as the next of its chain if the head is still <paramref name="head"/>
    /// (null: the license has no report yet). True when this report is what is stored now, also when the
    /// commit succeeded and its answer was lost; false when another report got there first.
    /// </summary>
    public async Task<bool> TryCommitAsync(ReportHead? head, StoredReport report, CancellationToken ct = default)
    {
        var headEntity = new TableEntity(report.LicenseId, HeadRow)
        {
            ["seq"] = report.Seq, ["sha256"] = report.Sha256, ["report_id"] = report.ReportId, ["pending"] = true,
        };
        TableTransactionAction[] actions =
        [
            head is null ? new(TableTransactionActionType.Add, headEntity) : new(TableTransactionActionType.UpdateReplace, headEntity, head.ETag),
            new(TableTransactionActionType.Add, Entity(report)),
        ];
        try
        {
            await tables.UsageReports.SubmitBatchAsync(actions, ct);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return (await GetReportAsync(report.LicenseId, report.Seq, ct))?.ReportId == report.ReportId;
        }
    }

    /// <summary>Records that report <paramref name="seq"/> is in effect, unless the head moved on meanwhile (whoever moved it applied this one first).</summary>
    public async Task MarkAppliedAsync(string licenseId, long seq, CancellationToken ct = default)
    {
        if (await GetHeadAsync(licenseId, ct) is { Pending: true } head && head.Seq == seq)
            await tables.UsageReports.TryUpdateAsync(new TableEntity(licenseId, HeadRow) { ["pending"] = false }, head.ETag, TableUpdateMode.Merge, ct);
    }

    /// <summary>Heads of licenses whose latest report was accepted but not yet applied (a crash in between): few, found by one filtered query.</summary>
    public IAsyncEnumerable<(string LicenseId, ReportHead Head)> ListPendingAsync(CancellationToken ct = default) =>
        tables.QueryAsync(tables.UsageReports, TableClient.CreateQueryFilter($"RowKey eq {HeadRow} and pending eq true"), ct: ct)
            .Select(e => (e.PartitionKey, new ReportHead(e.GetInt64("seq") ?? 0, e.GetString("sha256") ?? "", e.GetString("report_id") ?? "", true, e.ETag)));

    /// <summary>A page of a license's reports, newest first, after <paramref name="after"/>; the next page's cursor, or null at the end.</summary>
    public async Task<(IReadOnlyList<StoredReport> Reports, PageCursor? Next)> PageAsync(string licenseId, PageCursor? after, int limit, CancellationToken ct = default)
    {
        var from = after?.After ?? ReportPrefix;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {licenseId} and RowKey gt {from} and RowKey lt {"r}"}");
        var page = await tables.TakeAsync(tables.UsageReports, filter, limit + 1, ct: ct);
        return ([.. page.Take(limit).Select(Read)], page.Count > limit ? new PageCursor(Section, page[limit - 1].RowKey) : null);
    }

    private static TableEntity Entity(StoredReport r) => new(r.LicenseId, RowOf(r.Seq))
    {
        ["report_id"] = r.ReportId,
        ["org_id"] = r.OrgId,
        ["seq"] = r.Seq,
        ["kind"] = UsageNames.Of(r.Kind),
        ["days"] = JsonSerializer.Serialize([.. r.Days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))], StorageJson.Default.StringArray),
        ["totals"] = JsonSerializer.Serialize(r.Totals, StorageJson.Default.IReadOnlyDictionaryStringInt64),
        ["sha256"] = r.Sha256,
        ["previous_sha256"] = r.PreviousSha256 ?? "",
        ["receipt"] = r.Receipt,
        ["reported_by"] = r.ReportedBy,
        ["received_at"] = r.ReceivedAt,
    };

    private static StoredReport Read(TableEntity e)
    {
        var previous = e.GetString("previous_sha256") ?? "";
        var kind = UsageNames.TryParseKind(e.GetString("kind"), out var k) ? k : UsageKind.Deployments;
        return new StoredReport(
            e.GetString("report_id") ?? "", e.PartitionKey, e.GetString("org_id") ?? "", e.GetInt64("seq") ?? 0, kind,
            [.. (JsonSerializer.Deserialize(e.GetString("days") ?? "[]", StorageJson.Default.StringArray) ?? []).Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture))],
            JsonSerializer.Deserialize(e.GetString("totals") ?? "{}", StorageJson.Default.DictionaryStringInt64) ?? [],
            e.GetString("sha256") ?? "", previous.Length == 0 ? null : previous, e.GetString("receipt") ?? "",
            e.GetString("reported_by") ?? "", e.GetDateTimeOffset("received_at") ?? DateTimeOffset.MinValue);
    }
}
