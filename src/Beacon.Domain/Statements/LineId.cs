using Beacon.Domain.Meters;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Statements;

/// <summary>
/// Which line of an org's statement usage belongs to: the license billed (empty for API-key usage) and the
/// usage's source. A license with metered and self-reported usage in one month has two lines (SPEC §17).
/// Ordered by license, metered first.
/// </summary>
public readonly record struct LineId(string LicenseId, UsageSource Source = UsageSource.Metered) : IComparable<LineId>
{
    public static LineId Of(CellKey key) => new(key.LicenseId, key.Source);

    public int CompareTo(LineId other)
    {
        int c = string.CompareOrdinal(LicenseId, other.LicenseId);
        return c != 0 ? c : Source.CompareTo(other.Source);
    }

    public static bool operator <(LineId a, LineId b) => a.CompareTo(b) < 0;
    public static bool operator <=(LineId a, LineId b) => a.CompareTo(b) <= 0;
    public static bool operator >(LineId a, LineId b) => a.CompareTo(b) > 0;
    public static bool operator >=(LineId a, LineId b) => a.CompareTo(b) >= 0;
}
