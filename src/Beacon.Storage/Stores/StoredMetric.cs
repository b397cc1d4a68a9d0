namespace Beacon.Storage.Stores;

/// <summary>The latest point of one metric series, as stored. <see cref="Value"/> is the number, or the histogram as JSON.</summary>
public sealed record StoredMetric(string Instance, string Name, string Unit, string Kind, IReadOnlyDictionary<string, string> Attributes, string Value, DateTimeOffset At, DateTimeOffset SeenAt);
