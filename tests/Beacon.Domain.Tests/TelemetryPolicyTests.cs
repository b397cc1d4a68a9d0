using Beacon.Domain.Telemetry;

namespace Beacon.Domain.Tests;

public sealed class TelemetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> None = [];

    [Theory]
    [InlineData(9, false)]   // INFO
    [InlineData(12, false)]  // INFO4
    [InlineData(13, true)]   // WARN
    [InlineData(17, true)]   // ERROR
    [InlineData(24, true)]   // FATAL4
    public void Logs_of_severity_warn_or_above_are_kept(int severity, bool kept) =>
        Assert.Equal(kept, TelemetryPolicy.Keeps(new LogEntry("i", 1, severity, "", "m", None, "", "")));

    [Fact]
    public void Spans_are_kept_when_they_failed_or_took_a_second()
    {
        SpanEntry Span(long nanos, int status) => new("i", "t", "s", "n", 1_000, 1_000 + nanos, status, "", None);
        Assert.False(TelemetryPolicy.Keeps(Span(999_999_999, 1)));
        Assert.True(TelemetryPolicy.Keeps(Span(1_000_000_000, 0)));
        Assert.True(TelemetryPolicy.Keeps(Span(10, 2)));
    }

    [Fact]
    public void A_point_falls_in_the_five_minute_slot_of_its_own_time_or_else_the_arrival()
    {
        long nanos = new DateTimeOffset(2026, 3, 2, 23, 59, 59, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
        Assert.Equal(("2355", new DateOnly(2026, 3, 2)), (TelemetryPolicy.SlotOf(nanos, Now), TelemetryPolicy.DayOf(nanos, Now)));
        Assert.Equal(("1200", new DateOnly(2026, 6, 15)), (TelemetryPolicy.SlotOf(0, Now), TelemetryPolicy.DayOf(0, Now)));
    }

    [Theory]
    [InlineData(10, 0, 10)]
    [InlineData(10, 9_995, 5)]
    [InlineData(10, 10_000, 0)]
    [InlineData(10, 12_000, 0)]
    public void The_daily_cap_admits_only_what_still_fits(int offered, long already, int admitted) =>
        Assert.Equal(admitted, TelemetryPolicy.Admit(offered, already, TelemetryPolicy.MaxLogsPerDay));

    [Fact]
    public void A_series_is_its_instance_name_and_attribute_set_in_any_order()
    {
        MetricPoint P(string instance, params (string, string)[] attributes) =>
            new(instance, "lg_api_num_pending_runs", "", MetricKind.Gauge, attributes.ToDictionary(a => a.Item1, a => a.Item2), 0, 1, null);
        Assert.Equal(P("pod-1", ("a", "1"), ("b", "2")).SeriesKey, P("pod-1", ("b", "2"), ("a", "1")).SeriesKey);
        Assert.NotEqual(P("pod-1", ("a", "1")).SeriesKey, P("pod-2", ("a", "1")).SeriesKey);
        Assert.NotEqual(P("pod-1", ("a", "1")).SeriesKey, P("pod-1", ("a", "2")).SeriesKey);
    }

    [Theory]
    [InlineData(0, null)] // undated: received now
    [InlineData(23 * 60, null)] // clock skew within a day
    [InlineData(24 * 60 + 1, "dated more than 24 h ahead")]
    [InlineData(-6 * 24 * 60, null)] // the oldest day still shown
    [InlineData(-8 * 24 * 60, "older than the 7-day retention")]
    public void Records_are_refused_when_dated_beyond_a_day_ahead_or_before_retention(int minutesFromNow, string? refusal)
    {
        var now = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
        long nanos = minutesFromNow == 0 ? 0 : now.AddMinutes(minutesFromNow).ToUnixTimeMilliseconds() * 1_000_000;
        var answer = TelemetryPolicy.RefusalOf(nanos, now, TelemetryPolicy.RecordDays);
        if (refusal is null) Assert.Null(answer);
        else Assert.Equal(refusal, answer);
    }
}
