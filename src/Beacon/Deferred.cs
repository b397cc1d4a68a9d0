using System.Diagnostics.CodeAnalysis;

namespace Beacon;

/// <summary>
/// A service resolved on first use rather than when its consumer is built. Background services take their
/// storage-bound dependencies this way: the host builds every hosted service before Kestrel listens, and
/// building the storage clients there would delay the first answer (SPEC §10, cold start) for work that
/// starts later anyway.
/// </summary>
// The annotation only satisfies Lazy<T>'s (for its parameterless constructor, which is not used: the factory is given).
internal sealed class Deferred<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(IServiceProvider services) : Lazy<T>(services.GetRequiredService<T>) where T : notnull;
