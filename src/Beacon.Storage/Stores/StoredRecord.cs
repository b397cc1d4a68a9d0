namespace Beacon.Storage.Stores;

/// <summary>A kept log record or span, as the vendor sees it: <see cref="Detail"/> is the record as JSON.</summary>
public sealed record StoredRecord(string Kind, DateTimeOffset At, string Instance, string Detail);
