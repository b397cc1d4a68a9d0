using System.Globalization;
using System.Text;
using Beacon.Domain.Csv;
using Beacon.Domain.Meters;
using Beacon.Domain.Query;
using CsvHelper;
using CsvHelper.Configuration;

namespace Beacon.Storage.Exports;

/// <summary>
/// Writes the CSV export (SPEC §5) with CsvHelper: RFC 4180 (CRLF, quotes doubled), UTF-8 without BOM,
/// cells already neutralized by <see cref="CsvLayout"/>. Flushes every few hundred rows so the response
/// streams and memory does not grow with the row count. The same writer produces staged exports, which
/// is why a staged blob is byte-identical to the live answer.
/// </summary>
public sealed class UsageCsvWriter(MeterCatalog catalog)
{
    private readonly CsvLayout _layout = new(catalog);

    private const int FlushEvery = 500;
    public static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public async Task<long> WriteAsync(Stream output, UsageQuery query, IAsyncEnumerable<UsageRecord> records, Func<string, DimensionLabel> label, CancellationToken ct)
    {
        await using var text = new StreamWriter(output, Utf8NoBom, bufferSize: 64 * 1024, leaveOpen: true);
        await using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            NewLine = "\r\n",
            InjectionOptions = InjectionOptions.None, // CsvLayout.Neutralize applies the seed's rule itself
        });
        foreach (var h in _layout.Header(query.Kind)) csv.WriteField(h);
        await csv.NextRecordAsync();
        long rows = 0;
        await foreach (var r in records.WithCancellation(ct))
        {
            foreach (var cell in _layout.Row(query.Kind, query.GroupBy, r, label(r.DimensionValue))) csv.WriteField(cell);
            await csv.NextRecordAsync();
            if (++rows % FlushEvery == 0) await csv.FlushAsync();
        }
        await csv.FlushAsync();
        return rows;
    }
}
