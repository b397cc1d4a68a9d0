using Beacon.Storage.Alerts;

namespace Beacon.Alerts;

/// <summary>
/// One run of the <c>Alerts</c> timer (every minute; standalone, the in-process scheduler): finish fan-outs a
/// crash left, emit the state-based events whose condition now holds, then send what is due. Every step is
/// idempotent and safe with two instances at once (ADR 0018).
/// </summary>
public sealed class AlertsRun(AlertOutbox outbox, AlertConditions conditions, WebhookSender sender)
{
    public async Task<AlertsReport> RunAsync(CancellationToken ct = default)
    {
        var fanouts = await outbox.FinishFanoutsAsync(ct);
        var emitted = await conditions.EvaluateAsync(ct);
        var attempts = await sender.SendDueAsync(ct);
        return new AlertsReport(fanouts, emitted, attempts);
    }
}
