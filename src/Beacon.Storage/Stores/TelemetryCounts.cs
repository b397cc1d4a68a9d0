namespace Beacon.Storage.Stores;

/// <summary>
/// One license's telemetry records for some days: kept, dropped over the daily cap (and answered as
/// rejected), and not kept by policy (INFO and below, fast successful spans).
/// </summary>
public sealed record TelemetryCounts(long LogsKept, long LogsDropped, long LogsBelowWarn, long SpansKept, long SpansDropped, long SpansNotSlowOrFailed);
