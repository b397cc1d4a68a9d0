using System.Globalization;
using Beacon.Domain.Time;

namespace Beacon.Domain.Usage;

/// <summary>
/// Bounds on reported values that no real deployment can reach (SPEC §9). They are semantic rules —
/// a well-formed number or time that cannot be true — answered with 422. They also bound the work a
/// single request can create: no count can push a sum near overflow in one step, and no timestamp can
/// mark decades of days dirty.
/// </summary>
public static class Plausibility
{
    /// <summary>At most 10^12 runs, nodes or traces in one window or transaction.</summary>
    public const long MaxCount = 1_000_000_000_000;

    /// <summary>No usage before 2020-01-01T00:00:00Z.</summary>
    public static readonly long EarliestMicros = Timestamps.StartOfDay(new DateOnly(2020, 1, 1));

    /// <summary>At most 24 hours ahead of Beacon's clock (clock skew, not time travel).</summary>
    public const long MaxFutureMicros = 24 * 3600 * Timestamps.MicrosPerSecond;

    public static void CheckCount(long value, string field, List<FieldError> errors)
    {
        if (value > MaxCount)
            errors.Add(new FieldError(field, $"At most {MaxCount.ToString("N0", CultureInfo.InvariantCulture)} in one report."));
    }

    public static void CheckTime(long micros, long nowMicros, string field, List<FieldError> errors)
    {
        if (micros < EarliestMicros)
            errors.Add(new FieldError(field, "Must not be earlier than 2020-01-01T00:00:00Z."));
        else if (micros > nowMicros + MaxFutureMicros)
            errors.Add(new FieldError(field, "Must not be more than 24 hours ahead of the server's clock (" + Timestamps.FormatUtcSeconds(nowMicros) + ")."));
    }
}
