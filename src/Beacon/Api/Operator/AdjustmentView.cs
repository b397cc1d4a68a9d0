namespace Beacon.Api.Operator;

/// <summary>An adjustment as a statement lists it (SPEC §13), with its id and who recorded it.</summary>
internal sealed record AdjustmentView(
    string Id, string OrgId, string? LicenseId, string Metric, Int128 Delta, string ForMonth, string RecordedInMonth,
    string Reason, DateTimeOffset RecordedAt, string Actor);
