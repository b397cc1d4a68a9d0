using Beacon.Domain.Meters;

namespace Beacon.Domain.Statements;

/// <summary>The month usages statements read.</summary>
public static class MonthUsage
{
    /// <summary>Statement lines: one per billed license and source (empty license for API-key usage).</summary>
    public static MonthUsage<LineId> ByLine(MeterCatalog catalog) => new(catalog, _ => true, LineId.Of);
}
