namespace Beacon.Storage.Account;

/// <summary>Storage could not settle a write after repeated conflicts; the caller answers 503.</summary>
public sealed class StorageContentionException(string message) : Exception(message);
