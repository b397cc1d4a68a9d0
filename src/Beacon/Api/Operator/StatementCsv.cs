using System.Globalization;
using System.Text;
using Beacon.Domain.Csv;
using Beacon.Domain.Meters;
using CsvHelper;
using CsvHelper.Configuration;

namespace Beacon.Api.Operator;

/// <summary>
/// A statement as CSV, for invoicing scripts and spreadsheets: one row per line (<c>kind</c> "line")
/// then one per adjustment ("adjustment", its delta in its metric's column), so summing a column per
/// org and license gives what to bill. RFC 4180, UTF-8 without BOM; text cells are neutralized against
/// formula evaluation like the usage export (numbers are written by Beacon and never are formulas).
/// One column per meter of the catalog, in its order; the last column is the line's source (metered or
/// self_reported), added last so scripts that read columns by position keep working.
/// </summary>
internal static class StatementCsv
{
    public static string Write(StatementView s, MeterCatalog catalog)
    {
        string[] header = ["kind", "month", "org_id", "org_name", "license_id", "plan", .. catalog.Meters.Select(m => m.Name), "for_month", "reason", "recorded_at", "source"];
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n", InjectionOptions = InjectionOptions.None }))
        {
            foreach (var h in header) csv.WriteField(h);
            csv.NextRecord();
            foreach (var l in s.Lines)
            {
                Row(csv, "line", s.Month, l.OrgId, l.OrgName, l.LicenseId, l.Plan,
                    [.. catalog.Meters.Select(m => l.Meters.GetValueOrDefault(m.Name) as Int128?)], s.Month, "", "", l.Source);
            }
            foreach (var a in s.Adjustments)
            {
                var values = catalog.Meters.Select(m => m.Name == a.Metric ? a.Delta : (Int128?)null).ToArray();
                Row(csv, "adjustment", s.Month, a.OrgId, a.OrgName, a.LicenseId, null, values, a.ForMonth, a.Reason,
                    a.RecordedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture), a.Source);
            }
        }
        return text.ToString();
    }

    public static byte[] Bytes(string csv) => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(csv);

    private static void Row(CsvWriter csv, string kind, string month, string orgId, string orgName, string? licenseId, string? plan,
        IReadOnlyList<Int128?> metrics, string forMonth, string reason, string recordedAt, string source)
    {
        csv.WriteField(kind);
        csv.WriteField(month);
        csv.WriteField(orgId);
        csv.WriteField(CsvLayout.Neutralize(orgName));
        csv.WriteField(licenseId ?? "");
        csv.WriteField(CsvLayout.Neutralize(plan ?? ""));
        foreach (var v in metrics) csv.WriteField(v?.ToString(CultureInfo.InvariantCulture) ?? "");
        csv.WriteField(forMonth);
        csv.WriteField(CsvLayout.Neutralize(reason));
        csv.WriteField(recordedAt);
        csv.WriteField(source);
        csv.NextRecord();
    }
}
