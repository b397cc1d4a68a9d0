namespace Beacon.Domain.Meters;

/// <summary>
/// The finest grain of aggregated usage: the meter values of one combination of every dimension over some
/// span of days. Readers turn raw records into cells of one day (distinct minutes already deduplicated per
/// day); rollups store cells of days, weeks and months, which are sums of day cells.
/// </summary>
public sealed record UsageCell(CellKey Key, MeterValues Values)
{
    public UsageCell Plus(UsageCell other) => this with { Values = Values.Plus(other.Values) };
}
