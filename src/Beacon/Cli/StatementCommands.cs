using System.Text.Json.Nodes;
using System.Globalization;
using Beacon.Domain.Statements;
using Beacon.Storage.Statements;
using Beacon.Storage.Stores;

namespace Beacon.Cli;

/// <summary><c>beacon statement close --month YYYY-MM</c> (SPEC §13): the CLI's way to close a month, audited as <c>cli</c>.</summary>
internal sealed class StatementCommands(IServiceProvider services, CliOutput output)
{
    public async Task<int> RunAsync(CliArgs args, CancellationToken ct)
    {
        var what = args.Words.Count > 1 ? args.Words[1] : "";
        if (what != "close") throw new CliUsageException($"Unknown statement command '{what}'. See `beacon help`.");
        var text = args.Required("month");
        if (!Month.TryParse(text, out var month)) throw new CliUsageException($"--month must be YYYY-MM (from 2020-01), got '{text}'.");

        var (outcome, reason, statement) = await services.GetRequiredService<Operations.StatementClosing>().CloseAsync(month, AuditLog.CliActor, ct);
        if (outcome != CloseOutcome.Closed) return output.Fail(reason!);
        var lines = statement!.Lines.Count.ToString(CultureInfo.InvariantCulture);
        output.Result(new JsonObject { ["month"] = month.ToString(), ["state"] = "closed", ["closed_at"] = statement.ClosedAt, ["lines"] = statement.Lines.Count },
            $"Closed {month}: {lines} lines frozen. Usage that arrives for it from now on is recorded as adjustments on the first open month.");
        return 0;
    }
}
