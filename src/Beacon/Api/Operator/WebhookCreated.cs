namespace Beacon.Api.Operator;

/// <summary>A new webhook endpoint with its signing secret (Standard Webhooks <c>whsec_…</c>), shown this once.</summary>
internal sealed record WebhookCreated(string Id, string Url, IReadOnlyList<string> Events, string Description, DateTimeOffset CreatedAt, string Secret);
