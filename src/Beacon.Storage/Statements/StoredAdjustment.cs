using Beacon.Domain.Statements;
using Beacon.Domain.Usage;

namespace Beacon.Storage.Statements;

/// <summary>
/// A correction of a month's billed usage, recorded on the statement of <see cref="RecordedInMonth"/>:
/// late usage found by the reconciliation (reason "late usage", actor "beacon") or a manual adjustment.
/// <see cref="Metric"/> is a meter's name; <see cref="Source"/> the line's source (late self-reported usage
/// adjusts the self-reported line).
/// </summary>
public sealed record StoredAdjustment(
    string Id, string OrgId, string? LicenseId, string Metric, Int128 Delta, Month ForMonth, Month RecordedInMonth,
    string Reason, DateTimeOffset RecordedAt, string Actor, UsageSource Source = UsageSource.Metered)
{
    public const string LateUsageReason = "late usage";
    public const string ReconciliationActor = "beacon";
}
