using Azure;

namespace Beacon.Storage.Alerts;

/// <summary>
/// One event for one endpoint, and how sending it went: <c>pending</c> (due at <see cref="NextAttemptAt"/>),
/// <c>delivered</c>, or <c>failed</c> (three days of failed attempts). <see cref="ClaimedUntil"/> is the
/// lease of the instance sending it now, so two instances never send it at once.
/// </summary>
public sealed record WebhookDelivery(
    string EndpointId, string RowKey, string EventId, string Type, string Status, int Attempts, DateTimeOffset? FirstAttemptAt, DateTimeOffset? NextAttemptAt,
    int? LastStatusCode, string? LastError, DateTimeOffset? ClaimedUntil, ETag ETag)
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    /// <summary>The delivery's public id (what redelivery names): its endpoint and its row.</summary>
    public string DeliveryId => EndpointId + "." + RowKey;
}
