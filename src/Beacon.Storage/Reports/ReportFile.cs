using System.Globalization;
using System.Text;
using Beacon.Domain;
using Beacon.Domain.Meters;
using Beacon.Domain.Reports;
using CsvHelper;
using CsvHelper.Configuration;

namespace Beacon.Storage.Reports;

/// <summary>
/// Reads a self-reported file: strict UTF-8, then RFC 4180 records with CsvHelper (the library that writes the
/// export), then the domain's validation. A file that is not text or not CSV is one bad row, row 0 or the
/// row it breaks at, like any other problem with the file.
/// </summary>
public static class ReportFile
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Validated<ReportedUsage> Parse(MeterCatalog catalog, ReadOnlySpan<byte> bytes, DateOnly today)
    {
        string text;
        try
        {
            text = Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Fail(0, "The file is not UTF-8 text: save the export as it was downloaded.");
        }
        var records = new List<string[]>();
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false, Mode = CsvMode.RFC4180, DetectColumnCountChanges = false };
        try
        {
            using var parser = new CsvParser(new StringReader(text), config);
            while (parser.Read())
            {
                records.Add(parser.Record ?? []);
                if (records.Count > ReportLimits.MaxRows + 1) break; // the domain refuses it; no need to read the rest
            }
        }
        catch (CsvHelperException e)
        {
            return Fail(Math.Max(0, records.Count), $"is not valid CSV (RFC 4180) near line {e.Context?.Parser?.RawRow}: check its quotes.");
        }
        return ReportedUsageParser.Parse(catalog, records, today);
    }

    private static Validated<ReportedUsage> Fail(int row, string message) =>
        Validated<ReportedUsage>.Fail([new FieldError(ReportedUsageParser.RowName(row), message)]);
}
