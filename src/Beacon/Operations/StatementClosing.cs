using System.Globalization;
using Beacon.Domain.Statements;
using Beacon.Storage.Statements;
using Beacon.Storage.Stores;

namespace Beacon.Operations;

/// <summary>
/// Closing a month's statement (SPEC §13) and its audit record: one implementation for the operator API
/// and the CLI. The <c>statement.closed</c> event is emitted when the close has committed (SPEC §18).
/// </summary>
public sealed class StatementClosing(StatementLedger ledger, AuditLog audit, Storage.Alerts.AlertOutbox alerts)
{
    /// <summary>The outcome, why it was refused, and the frozen statement when it closed.</summary>
    public async Task<(CloseOutcome Outcome, string? Reason, Statement? Statement)> CloseAsync(Month month, string actor, CancellationToken ct)
    {
        var (outcome, reason) = await ledger.CloseAsync(month, actor, ct);
        if (outcome != CloseOutcome.Closed) return (outcome, reason, null);
        var statement = await ledger.GetAsync(month, ct);
        await audit.AppendAsync(actor, "statement.close", "statement:" + month,
            new Dictionary<string, string?> { ["lines"] = statement.Lines.Count.ToString(CultureInfo.InvariantCulture) }, ct);
        await alerts.EmitAsync(Storage.Alerts.AlertEvents.StatementClosed(month.ToString(), statement.ClosedAt ?? DateTimeOffset.MinValue, statement.Lines.Count), ct: ct);
        return (outcome, null, statement);
    }
}
