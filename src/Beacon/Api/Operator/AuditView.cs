namespace Beacon.Api.Operator;

/// <summary>One audit record: when, who, what, to what, and the non-secret particulars.</summary>
internal sealed record AuditView(DateTimeOffset At, string Actor, string Action, string Target, IReadOnlyDictionary<string, string?> Detail);
