namespace Beacon.Domain.Statements;

/// <summary>Which months may be closed, and where an adjustment is recorded.</summary>
public static class StatementCalendar
{
    /// <summary>
    /// Why <paramref name="month"/> cannot be closed at <paramref name="now"/>, or null when it can. A
    /// month can be closed once it has been over for <paramref name="settle"/>: writers of a day that is
    /// over mark it before writing and finish within that time, so nothing in flight is missed by the
    /// close and not announced to the reconciliation either.
    /// </summary>
    public static string? WhyNotClosable(Month month, DateTimeOffset now, TimeSpan settle)
    {
        var end = new DateTimeOffset(month.EndDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (now < end) return $"The month {month} has not ended: it ends at {end:yyyy-MM-ddTHH:mm:ssZ}.";
        if (now < end + settle) return $"The month {month} ended less than {settle.TotalMinutes:0} minutes ago; it can be closed from {end + settle:yyyy-MM-ddTHH:mm:ssZ}.";
        return null;
    }

    /// <summary>
    /// The statement an adjustment for <paramref name="forMonth"/> is recorded on: the first month from
    /// it on that is not closed. Late usage for a closed month therefore lands on the next invoice that
    /// has not gone out, never on one that has.
    /// </summary>
    public static Month RecordingMonth(Month forMonth, IReadOnlySet<Month> closed)
    {
        var m = forMonth;
        while (closed.Contains(m)) m = m.Next;
        return m;
    }
}
