using Beacon.Domain.Statements;

namespace Beacon.Storage.Statements;

/// <summary>
/// A correction of a month's billed usage, recorded on the statement of <see cref="RecordedInMonth"/>:
/// late usage found by the reconciliation (reason "late usage", actor "beacon") or a manual adjustment.
/// <see cref="Metric"/> is a meter's name.
/// </summary>
public sealed record StoredAdjustment(
    string Id, string OrgId, string? LicenseId, string Metric, Int128 Delta, Month ForMonth, Month RecordedInMonth,
    string Reason, DateTimeOffset RecordedAt, string Actor)
{
    public const string LateUsageReason = "late usage";
    public const string ReconciliationActor = "beacon";
}
