namespace Beacon.Api.Operator;

/// <summary><c>POST /api/v1/operator/webhooks</c>'s body, for the OpenAPI document: an https URL, the event types (empty: all) and a note.</summary>
internal sealed record WebhookCreateBody(string Url, IReadOnlyList<string>? Events = null, string? Description = null);
