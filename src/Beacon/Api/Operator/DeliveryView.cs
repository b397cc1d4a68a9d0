using Beacon.Storage.Alerts;

namespace Beacon.Api.Operator;

/// <summary>One entry of an endpoint's delivery log (SPEC §18); <c>next_attempt_at</c> only while pending.</summary>
internal sealed record DeliveryView(string DeliveryId, string EventId, string Type, string Status, int Attempts, int? LastStatusCode, string? LastError, DateTimeOffset? NextAttemptAt)
{
    public static DeliveryView Of(WebhookDelivery d) => new(d.DeliveryId, d.EventId, d.Type, d.Status, d.Attempts, d.Attempts == 0 ? null : d.LastStatusCode,
        d.Status == WebhookDelivery.Delivered ? null : d.LastError, d.Status == WebhookDelivery.Pending ? d.NextAttemptAt : null);
}
