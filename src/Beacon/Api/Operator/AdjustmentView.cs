namespace Beacon.Api.Operator;

/// <summary>
/// An adjustment as a statement lists it (SPEC §13), with its id, who recorded it and its org's name (an
/// adjustment may be the only thing an org has on a month's statement, so the name cannot come from a line),
/// and the source of the line it adjusts (late self-reported usage adjusts the self-reported line).
/// </summary>
internal sealed record AdjustmentView(
    string Id, string OrgId, string OrgName, string? LicenseId, string Metric, Int128 Delta, string ForMonth, string RecordedInMonth,
    string Reason, DateTimeOffset RecordedAt, string Actor, string Source);
