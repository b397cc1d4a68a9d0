namespace Beacon.Api;

/// <summary>The answer of <c>GET /health</c>.</summary>
internal sealed record HealthStatus(string Status);
