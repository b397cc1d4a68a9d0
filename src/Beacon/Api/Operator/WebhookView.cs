using Beacon.Storage.Alerts;

namespace Beacon.Api.Operator;

/// <summary>A webhook endpoint as listed: never its secret. <c>events</c> empty means every type.</summary>
internal sealed record WebhookView(string Id, string Url, IReadOnlyList<string> Events, string Description, DateTimeOffset CreatedAt, DateTimeOffset? FailingSince, DateTimeOffset? DisabledAt)
{
    public static WebhookView Of(WebhookEndpoint e) => new(e.Id, e.Url, e.Events, e.Description, e.CreatedAt, e.FailingSince, e.DisabledAt);
}
