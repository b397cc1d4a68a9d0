namespace Beacon.Api.Access;

/// <summary>The answer of <c>POST /auth</c>, in the shape of the platform's API-key verification.</summary>
internal sealed record AuthResponse(OrgConfig OrgConfig);
