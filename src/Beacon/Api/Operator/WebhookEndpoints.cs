using System.Text.Json;
using Beacon.Api.Http;
using Beacon.Domain;
using Beacon.Domain.Usage;
using Beacon.Operations;
using Beacon.Storage.Alerts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Operator;

/// <summary>
/// Webhook endpoints and their delivery logs (SPEC §18), under the operator group. Creating, deleting and
/// redelivering are audited; the secret is in the creation's answer only.
/// </summary>
internal static class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhookEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/webhooks", CreateAsync).WithName("OperatorWebhookCreate").DescribesJsonBody<RouteHandlerBuilder, WebhookCreateBody>()
            .WithSummary("Add a webhook endpoint {url, events, description} (events [] = every type): 201 with its signing secret, shown once (audited).").ProducesProblem(400);
        group.MapGet("/webhooks", ListAsync).WithName("OperatorWebhooks").WithSummary("Every webhook endpoint, without secrets, with failing_since and disabled_at.");
        group.MapDelete("/webhooks/{id}", DeleteAsync).WithName("OperatorWebhookDelete").WithSummary("Delete a webhook endpoint (audited).").ProducesProblem(404);
        group.MapPost("/webhooks/{id}/test", TestAsync).WithName("OperatorWebhookTest")
            .WithSummary("Send a webhook.test event to one endpoint (202; delivered by the next alerts run, within a minute).").ProducesProblem(404);
        group.MapGet("/webhooks/{id}/deliveries", DeliveriesAsync).WithName("OperatorWebhookDeliveries")
            .WithSummary("A page of an endpoint's deliveries, newest first: status, attempts, last status code and error, next attempt.").ProducesProblem(400).ProducesProblem(404);
        group.MapPost("/webhooks/deliveries/{delivery_id}/redeliver", RedeliverAsync).WithName("OperatorWebhookRedeliver")
            .WithSummary("Send a delivery again, due now, with a fresh three days of retries (audited).").ProducesProblem(404);
        return group;
    }

    private static async Task<Results<Created<WebhookCreated>, ProblemHttpResult>> CreateAsync(HttpRequest request, OperatorCaller caller, WebhookAdmin admin, CancellationToken ct)
    {
        if (!(await JsonBody.ReadAsync(request, Limits.MaxBodyBytes, ct)).TryGet(out var body, out var problem)) return problem;
        using var doc = body;
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) return Problems.Validation([new FieldError("$", "The body must be a JSON object.")]);
        List<string>? events = [];
        if (root.TryGetProperty("events", out var ev) && ev.ValueKind != JsonValueKind.Null)
        {
            if (ev.ValueKind != JsonValueKind.Array || ev.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String) || ev.GetArrayLength() > 50)
                return Problems.Validation([new FieldError("events", "must be an array of event type names ([] = every type).")]);
            events = [.. ev.EnumerateArray().Select(x => x.GetString()!)];
        }
        var (endpoint, errors) = await admin.CreateAsync(JsonBody.String(root, "url"), events, JsonBody.String(root, "description"), caller.Actor, ct);
        if (endpoint is null) return Problems.Validation(errors);
        return TypedResults.Created((string?)null, new WebhookCreated(endpoint.Id, endpoint.Url, endpoint.Events, endpoint.Description, endpoint.CreatedAt, endpoint.Secret));
    }

    private static async Task<Ok<WebhookList>> ListAsync(WebhookStore store, CancellationToken ct) =>
        TypedResults.Ok(new WebhookList([.. (await store.ListEndpointsAsync(ct)).OrderBy(e => e.CreatedAt).Select(WebhookView.Of)]));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, OperatorCaller caller, WebhookAdmin admin, CancellationToken ct) =>
        await admin.DeleteAsync(id, caller.Actor, ct) ? TypedResults.NoContent() : Problems.NotFound($"No webhook endpoint {id}.");

    private static async Task<Results<Accepted<Dictionary<string, string>>, ProblemHttpResult>> TestAsync(string id, WebhookAdmin admin, CancellationToken ct) =>
        await admin.TestAsync(id, ct) is { } e
            ? TypedResults.Accepted((string?)null, new Dictionary<string, string> { ["event_id"] = e.Id, ["delivery_id"] = id + "." + WebhookStore.DeliveryRow(e) })
            : Problems.NotFound($"No webhook endpoint {id}.");

    private static async Task<Results<Ok<DeliveryList>, ProblemHttpResult>> DeliveriesAsync(string id, string? cursor, string? limit, WebhookStore store, CancellationToken ct)
    {
        if (!Paging.TryRead(limit, cursor, [WebhookStore.DeliverySection], out var n, out var after, out var problem)) return problem!;
        if (!WebhookStore.IsEndpointId(id) || await store.GetEndpointAsync(id, ct) is null) return Problems.NotFound($"No webhook endpoint {id}.");
        var (page, next) = await store.PageDeliveriesAsync(id, after, n, ct);
        return TypedResults.Ok(new DeliveryList([.. page.Select(DeliveryView.Of)], next?.Encode()));
    }

    private static async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> RedeliverAsync(string delivery_id, OperatorCaller caller, WebhookAdmin admin, CancellationToken ct) =>
        await admin.RedeliverAsync(delivery_id, caller.Actor, ct) is { } d ? TypedResults.Accepted((string?)null, DeliveryView.Of(d)) : Problems.NotFound($"No delivery {delivery_id}.");
}
