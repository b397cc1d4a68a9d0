using Beacon.Domain.Usage;

namespace Beacon.Domain.Meters;

/// <summary>
/// Every dimension of a usage cell. <see cref="LicenseId"/> is the license the usage is billed to (empty
/// for API-key usage); <see cref="Tier"/> is null for deployment usage; <see cref="Source"/> says whether an
/// install reported it as it ran or a person reported it for an air-gapped install (SPEC §17), so the two
/// never merge into one cell and a statement can bill them on separate lines. Ordered field by field
/// (ordinal), so "the first key of a group" is the same on every reader.
/// </summary>
public readonly record struct CellKey(
    string WorkspaceId, string ProjectId, string UserId, string ApiKeyShortKey, string LicenseId, TraceTier? Tier, UsageSource Source = UsageSource.Metered)
    : IComparable<CellKey>
{
    /// <summary>The key a distinct-minute meter deduplicates within for <paramref name="scope"/>.</summary>
    public CellKey ScopeKey(MinuteScope scope) => scope switch
    {
        MinuteScope.Deployment => this with { UserId = "", ApiKeyShortKey = "" },
        MinuteScope.User => this with { ApiKeyShortKey = "" },
        MinuteScope.ApiKey => this with { UserId = "" },
    };

    public int CompareTo(CellKey other)
    {
        int c = string.CompareOrdinal(WorkspaceId, other.WorkspaceId);
        if (c == 0) c = string.CompareOrdinal(ProjectId, other.ProjectId);
        if (c == 0) c = string.CompareOrdinal(UserId, other.UserId);
        if (c == 0) c = string.CompareOrdinal(ApiKeyShortKey, other.ApiKeyShortKey);
        if (c == 0) c = string.CompareOrdinal(LicenseId, other.LicenseId);
        if (c == 0) c = Nullable.Compare(Tier, other.Tier);
        return c != 0 ? c : Source.CompareTo(other.Source);
    }

    public static bool operator <(CellKey a, CellKey b) => a.CompareTo(b) < 0;
    public static bool operator <=(CellKey a, CellKey b) => a.CompareTo(b) <= 0;
    public static bool operator >(CellKey a, CellKey b) => a.CompareTo(b) > 0;
    public static bool operator >=(CellKey a, CellKey b) => a.CompareTo(b) >= 0;
}
