using System.Text;
using Beacon.Domain.Csv;
using Beacon.Domain.Meters;
using Beacon.Domain.Query;

namespace Beacon.Storage.Exports;

/// <summary>
/// Writes the CSV export (SPEC §5) with CsvHelper: RFC 4180 (CRLF, quotes doubled), UTF-8 without BOM,
/// cells already neutralized by <see cref="CsvLayout"/>, through <see cref="UsageCsvFile"/>. The same
/// writer produces staged exports, which is why a staged blob is byte-identical to the live answer.
/// </summary>
public sealed class UsageCsvWriter(MeterCatalog catalog)
{
    private readonly CsvLayout _layout = new(catalog);

    public static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public async Task<long> WriteAsync(Stream output, UsageQuery query, IAsyncEnumerable<UsageRecord> records, Func<string, DimensionLabel> label, CancellationToken ct)
    {
        await using var file = await StartAsync(output, query, label);
        await foreach (var r in records.WithCancellation(ct)) await file.WriteAsync(r);
        return file.Rows;
    }

    /// <summary>Starts a file (its header is written) to which records are then written one at a time.</summary>
    public Task<UsageCsvFile> StartAsync(Stream output, UsageQuery query, Func<string, DimensionLabel> label) =>
        UsageCsvFile.StartAsync(output, _layout, query, label);
}
