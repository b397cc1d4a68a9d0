namespace Beacon.Api.Operator;

/// <summary><c>POST /api/v1/operator/adjustments</c>'s body, for the OpenAPI document: a signed change to a metric on an org's (or license's) statement, with its reason.</summary>
internal sealed record AdjustmentBody(string OrgId, string Metric, long Delta, string ForMonth, string Reason, string? LicenseId = null);
