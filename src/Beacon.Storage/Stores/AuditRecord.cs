namespace Beacon.Storage.Stores;

/// <summary>
/// One change made by an operator (SPEC §12): when, who (an operator key's name, or <c>cli</c>), what,
/// to what, and the non-secret particulars. Never a secret: callers pass ids and names, not keys.
/// </summary>
public sealed record AuditRecord(DateTimeOffset At, string Actor, string Action, string Target, IReadOnlyDictionary<string, string?> Detail);
