namespace Beacon.Domain.Meters;

/// <summary>
/// One value a cell keeps: a meter, and for distinct minutes the scope it was deduplicated over.
/// <see cref="Column"/> is its stored name (rollup cells).
/// </summary>
public sealed record MeterSlot(Meter Meter, MinuteScope? Scope)
{
    public string Column => Scope is not { } scope ? Meter.Name : scope switch
    {
        MinuteScope.Deployment => Meter.Name,
        MinuteScope.User => Meter.Name + "__by_user",
        MinuteScope.ApiKey => Meter.Name + "__by_api_key",
    };
}
