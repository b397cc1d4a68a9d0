namespace Beacon.Api.Licenses;

/// <summary>The answer of <c>POST /v1/beacon/verify</c>: a short-lived signed license token.</summary>
internal sealed record TokenResponse(string Token);
