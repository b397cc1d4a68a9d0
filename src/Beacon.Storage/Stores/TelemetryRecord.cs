namespace Beacon.Storage.Stores;

/// <summary>A kept log record or span as stored: its time in nanoseconds (0 = undated), its instance and its JSON form.</summary>
public readonly record struct TelemetryRecord(long UnixNano, string Instance, string Detail);
