namespace Beacon.Storage.Stores;

/// <summary>A usage snapshot as the vendor sees it.</summary>
public sealed record StoredSnapshot(string LicenseId, DateTimeOffset From, DateTimeOffset To, IReadOnlyDictionary<string, long> Measures, DateTimeOffset ReceivedAt);
