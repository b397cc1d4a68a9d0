namespace Beacon;

/// <summary>
/// A service resolved on first use rather than when its consumer is built. Background services take their
/// storage-bound dependencies this way: the host builds every hosted service before Kestrel listens, and
/// building the storage clients there would delay the first answer (SPEC §10, cold start) for work that
/// starts later anyway.
/// </summary>
internal sealed class Deferred<T>(IServiceProvider services) : Lazy<T>(services.GetRequiredService<T>) where T : notnull;
