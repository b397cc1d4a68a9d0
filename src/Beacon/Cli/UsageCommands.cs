using System.Text.Json.Nodes;
using Beacon.Domain;
using Beacon.Domain.Reports;
using Beacon.Storage.Stores;

namespace Beacon.Cli;

/// <summary>
/// <c>beacon usage import --license L --file F [--reported-by NAME]</c> (SPEC §17): records an air-gapped
/// customer's self-reported usage from the granular usage export they sent, through the same service as
/// the operator API, audited as <c>cli</c>. Prints the receipt.
/// </summary>
internal sealed class UsageCommands(IServiceProvider services, CliOutput output)
{
    public async Task<int> RunAsync(CliArgs args, CancellationToken ct)
    {
        var what = args.Words.Count > 1 ? args.Words[1] : "";
        if (what != "import") throw new CliUsageException($"Unknown usage command '{what}'. See `beacon help`.");
        var licenseText = args.Required("license");
        if (!Ids.TryNormalizeUuid(licenseText, out var licenseId)) throw new CliUsageException($"--license must be a license id (UUID), got '{licenseText}'.");
        var path = args.Required("file");
        var info = new FileInfo(path);
        if (!info.Exists) throw new CliUsageException($"--file {path}: no such file.");
        if (info.Length > ReportLimits.MaxBytes) return output.Fail($"{path} has {info.Length:N0} bytes; a report holds at most {ReportLimits.MaxBytes:N0} (split it by month).");
        var bytes = await File.ReadAllBytesAsync(path, ct);

        var outcome = await services.GetRequiredService<Operations.UsageReportIntake>()
            .SubmitAsync(licenseId, null, bytes, args.Optional("reported-by"), AuditLog.CliActor, ct);
        if (outcome.NotFound) return output.Fail($"No license {licenseId}.");
        if (outcome.Errors is { } errors)
            return output.Fail($"{path} was not recorded ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):\n" + string.Join("\n", errors.Select(e => $"  {e.Field}: {e.Message}")));
        var r = outcome.Report!;
        var view = Api.Operator.UsageReportEndpoints.View(r);
        var days = r.Days.Count == 1 ? $"{r.Days[0]:yyyy-MM-dd}" : $"{r.Days.Count} days, {r.Days[0]:yyyy-MM-dd} to {r.Days[^1]:yyyy-MM-dd}";
        output.Result(new JsonObject
        {
            ["report_id"] = view.ReportId, ["license_id"] = view.LicenseId, ["days"] = CliJson.Strings(view.Days), ["totals"] = CliJson.Counts(view.Totals),
            ["sha256"] = view.Sha256, ["previous_sha256"] = view.PreviousSha256, ["receipt"] = view.Receipt, ["created"] = outcome.Created,
        }, (outcome.Created ? "Recorded" : "Already recorded (identical to the latest report, nothing changed):")
           + $" report {r.ReportId} for license {r.LicenseId}, {days}: "
           + string.Join(", ", r.Totals.Select(t => $"{t.Key} {t.Value:N0}")) + $"\nsha256 {r.Sha256}\nReceipt (a JWS the JWKS verifies):\n{r.Receipt}");
        return 0;
    }
}
