using System.Globalization;
using Beacon.Domain.Csv;
using Beacon.Domain.Query;
using CsvHelper;
using CsvHelper.Configuration;

namespace Beacon.Storage.Exports;

/// <summary>
/// One CSV export being written, a record at a time: the header when it starts, one row per record, a flush
/// every few hundred rows so the response streams and memory stays flat. <see cref="UsageCsvWriter"/> writes
/// a whole answer with it; staging writes several side by side. Dispose it to flush the last bytes.
/// </summary>
public sealed class UsageCsvFile : IAsyncDisposable
{
    private const int FlushEvery = 500;

    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;
    private readonly CsvLayout _layout;
    private readonly UsageQuery _query;
    private readonly Func<string, DimensionLabel> _label;

    private UsageCsvFile(Stream output, CsvLayout layout, UsageQuery query, Func<string, DimensionLabel> label)
    {
        _text = new StreamWriter(output, UsageCsvWriter.Utf8NoBom, bufferSize: 64 * 1024, leaveOpen: true);
        _csv = new CsvWriter(_text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            NewLine = "\r\n",
            InjectionOptions = InjectionOptions.None, // CsvLayout.Neutralize applies the seed's rule itself
        });
        (_layout, _query, _label) = (layout, query, label);
    }

    /// <summary>Rows written so far.</summary>
    public long Rows { get; private set; }

    internal static async Task<UsageCsvFile> StartAsync(Stream output, CsvLayout layout, UsageQuery query, Func<string, DimensionLabel> label)
    {
        var file = new UsageCsvFile(output, layout, query, label);
        foreach (var h in layout.Header(query.Kind)) file._csv.WriteField(h);
        await file._csv.NextRecordAsync();
        return file;
    }

    public async ValueTask WriteAsync(UsageRecord record)
    {
        foreach (var cell in _layout.Row(_query.Kind, _query.GroupBy, record, _label(record.DimensionValue))) _csv.WriteField(cell);
        await _csv.NextRecordAsync();
        if (++Rows % FlushEvery == 0) await _csv.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _csv.FlushAsync();
        await _csv.DisposeAsync();
        await _text.DisposeAsync();
    }
}
