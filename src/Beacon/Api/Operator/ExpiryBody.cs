namespace Beacon.Api.Operator;

/// <summary>The body of a license's extend and offline-key actions, for the OpenAPI document: the new end, ISO 8601 with an offset.</summary>
internal sealed record ExpiryBody(DateTimeOffset ExpiresAt);
