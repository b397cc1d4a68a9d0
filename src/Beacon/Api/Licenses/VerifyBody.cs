namespace Beacon.Api.Licenses;

/// <summary><c>POST /v1/beacon/verify</c>'s body, for the OpenAPI document: the license key, as <c>license</c> (or <c>license_key</c>).</summary>
internal sealed record VerifyBody(string? License = null, string? LicenseKey = null);
