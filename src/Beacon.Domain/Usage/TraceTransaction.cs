using Beacon.Domain.Time;

namespace Beacon.Domain.Usage;

/// <summary>A validated trace transaction (SPEC §4.5). Its <see cref="Id"/> is the idempotency key, forever.</summary>
public sealed record TraceTransaction(
    string Id,
    string WorkspaceId,
    string ProjectId,
    long TraceCount,
    TraceTier Tier,
    long StartIntervalMicros,
    long? EndIntervalMicros,
    long? StartInsertionMicros,
    long? EndInsertionMicros,
    string Status,
    long NumFailedSendAttempts,
    string TransactionType,
    string UserId,
    string ApiKeyShortKey)
{
    /// <summary>A transaction's usage belongs to the UTC day of its <c>start_interval_time</c>.</summary>
    public DateOnly Day => Timestamps.DayOf(StartIntervalMicros);

    /// <summary>The transaction types senders use; any other is still accepted (as short-lived) but reported back.</summary>
    public static IReadOnlyList<string> KnownTypes { get; } = ["longlived", "longlived_traces", "shortlived", "shortlived_traces"];

    /// <summary><c>longlived</c> or <c>longlived_traces</c> → long-lived; anything else is short-lived.</summary>
    public static TraceTier TierOf(string? transactionType) =>
        transactionType is "longlived" or "longlived_traces" ? TraceTier.Longlived : TraceTier.Shortlived;
}
