using Beacon.Settings;
using System.Security.Cryptography;
using System.Text.Json;
using Beacon.Domain;
using Beacon.Domain.Alerts;
using Beacon.Storage.Alerts;
using Beacon.Storage.Stores;
using Microsoft.Extensions.Options;

namespace Beacon.Operations;

/// <summary>
/// Creating and deleting webhook endpoints, sending a test event and redelivering (SPEC §18): one
/// implementation for the operator API and the CLI, audited the same way. The secret is shown once, at
/// creation, and never audited or listed.
/// </summary>
public sealed class WebhookAdmin(WebhookStore store, AlertOutbox outbox, AuditLog audit, IOptions<BeaconOptions> options, TimeProvider time)
{
    public const int MaxDescriptionLength = 500;
    public const int MaxEndpoints = 50;

    /// <summary>The new endpoint with its secret, or every problem with the input.</summary>
    public async Task<(WebhookEndpoint? Endpoint, IReadOnlyList<FieldError> Errors)> CreateAsync(string? url, IReadOnlyList<string>? events, string? description, string actor, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (WebhookAddress.Problem(url, options.Value.AllowInsecureWebhooks, out var uri) is { } why) errors.Add(new FieldError("url", why));
        var types = events ?? [];
        foreach (var unknown in types.Where(t => !EventTypes.All.Contains(t)).Distinct())
            errors.Add(new FieldError("events", $"'{unknown}' is not an event type ({string.Join(", ", EventTypes.All)}); [] means every type."));
        if ((description ?? "").Length > MaxDescriptionLength || (description ?? "").Any(char.IsControl))
            errors.Add(new FieldError("description", $"must be printable text of at most {MaxDescriptionLength} characters."));
        if (errors.Count == 0 && (await store.ListEndpointsAsync(ct)).Count >= MaxEndpoints)
            errors.Add(new FieldError("url", $"There are {MaxEndpoints} endpoints already; delete one first."));
        if (errors.Count > 0) return (null, errors);

        var endpoint = new WebhookEndpoint("wh_" + Guid.NewGuid().ToString("N"), uri!.AbsoluteUri, [.. types.Distinct()], description ?? "",
            "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)), time.GetUtcNow(), null, null, default);
        await store.AddEndpointAsync(endpoint, ct);
        await audit.AppendAsync(actor, "webhook.create", "webhook:" + endpoint.Id, new Dictionary<string, string?>
        {
            ["url"] = endpoint.Url, ["events"] = endpoint.Events.Count == 0 ? "all" : string.Join(",", endpoint.Events),
        }, ct);
        return (endpoint, []);
    }

    public async Task<bool> DeleteAsync(string id, string actor, CancellationToken ct)
    {
        if (!WebhookStore.IsEndpointId(id) || await store.GetEndpointAsync(id, ct) is not { } endpoint || !await store.DeleteEndpointAsync(id, ct)) return false;
        await audit.AppendAsync(actor, "webhook.delete", "webhook:" + id, new Dictionary<string, string?> { ["url"] = endpoint.Url }, ct);
        return true;
    }

    /// <summary>A <c>webhook.test</c> event for one endpoint (sent by the next alerts run, or at once by the caller).</summary>
    public async Task<WebhookEvent?> TestAsync(string id, CancellationToken ct)
    {
        if (!WebhookStore.IsEndpointId(id) || await store.GetEndpointAsync(id, ct) is not { } endpoint) return null;
        var now = time.GetUtcNow();
        var data = new System.Text.Json.Nodes.JsonObject { ["webhook_id"] = endpoint.Id, ["sent_at"] = now.ToString("O") }.ToJsonString();
        return await outbox.EmitAsync(new WebhookEvent("evt_" + Guid.NewGuid().ToString("N"), EventTypes.WebhookTest, now, data), endpoint.Id, ct);
    }

    /// <summary>Makes a delivery due now again, with a fresh three days of retries; null when there is no such delivery.</summary>
    public async Task<WebhookDelivery?> RedeliverAsync(string deliveryId, string actor, CancellationToken ct)
    {
        var dot = deliveryId.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !WebhookStore.IsEndpointId(deliveryId[..dot]) || !WebhookStore.IsDeliveryRow(deliveryId[(dot + 1)..])
            || await store.GetDeliveryAsync(deliveryId[..dot], deliveryId[(dot + 1)..], ct) is not { } d) return null;
        var now = time.GetUtcNow();
        var next = d with { Status = WebhookDelivery.Pending, FirstAttemptAt = now, NextAttemptAt = now };
        await store.SaveAttemptAsync(d, next, null, ct);
        await audit.AppendAsync(actor, "webhook.redeliver", "webhook:" + d.EndpointId, new Dictionary<string, string?> { ["event_id"] = d.EventId, ["type"] = d.Type }, ct);
        return next;
    }
}
