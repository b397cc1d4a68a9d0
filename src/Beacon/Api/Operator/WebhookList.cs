namespace Beacon.Api.Operator;

/// <summary>GET /api/v1/operator/webhooks: every endpoint (at most 50).</summary>
internal sealed record WebhookList(IReadOnlyList<WebhookView> Webhooks);
