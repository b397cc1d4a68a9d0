namespace Beacon.Storage.Alerts;

/// <summary>
/// Emits an event (SPEC §18): notes it as to be fanned out, records it once (a second sighting of the same
/// stable id changes nothing), creates one delivery per endpoint that wants it, then clears the note. A
/// crash part-way leaves the note, and the next alerts run finishes the fan-out; every step is idempotent,
/// so two instances emitting the same event at once make one event and one delivery per endpoint.
/// </summary>
public sealed class AlertOutbox(WebhookStore store, TimeProvider time)
{
    /// <param name="onlyEndpoint">The one endpoint a test event goes to, whatever it subscribes to; null for every endpoint that wants the type.</param>
    public async Task<WebhookEvent> EmitAsync(WebhookEvent e, string? onlyEndpoint = null, CancellationToken ct = default)
    {
        await store.MarkFanoutAsync(e, onlyEndpoint, ct);
        return await FanOutAsync(e, onlyEndpoint, ct);
    }

    /// <summary>Finishes every fan-out a crash left (the alerts run calls this first).</summary>
    public async Task<int> FinishFanoutsAsync(CancellationToken ct = default)
    {
        var pending = await store.ListFanoutAsync(ct);
        foreach (var (e, only) in pending) await FanOutAsync(e, only, ct);
        return pending.Count;
    }

    private async Task<WebhookEvent> FanOutAsync(WebhookEvent e, string? onlyEndpoint, CancellationToken ct)
    {
        var recorded = await store.RecordEventAsync(e, ct);
        var now = time.GetUtcNow();
        foreach (var endpoint in await store.ListEndpointsAsync(ct))
        {
            bool wanted = onlyEndpoint is null ? endpoint.DisabledAt is null && Domain.Alerts.EventTypes.Wants(endpoint.Events, e.Type) : endpoint.Id == onlyEndpoint;
            if (wanted) await store.AddDeliveryAsync(endpoint.Id, recorded, now, ct);
        }
        await store.ClearFanoutAsync(e.Id, ct);
        return recorded;
    }
}
