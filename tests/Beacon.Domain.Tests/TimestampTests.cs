using Beacon.Domain.Time;

namespace Beacon.Domain.Tests;

public sealed class TimestampTests
{
    [Theory]
    [InlineData("2026-03-10T09:00:00.123456+00:00", "2026-03-10T09:00:00.123456Z")]
    [InlineData("2026-03-10T09:00:00Z", "2026-03-10T09:00:00.000000Z")]
    [InlineData("2026-03-10T11:30:00+02:30", "2026-03-10T09:00:00.000000Z")]
    [InlineData("2026-03-10T04:00:00-0500", "2026-03-10T09:00:00.000000Z")]
    [InlineData("2026-03-10 09:00:00.1234567+00:00", "2026-03-10T09:00:00.123456Z")]
    [InlineData("2026-03-10T09:00+00:00", "2026-03-10T09:00:00.000000Z")]
    [InlineData("2026-03-10T00:30:00+01:00", "2026-03-09T23:30:00.000000Z")]
    public void Accepted_forms_normalize_to_utc_microseconds(string text, string utc)
    {
        Assert.True(Timestamps.TryParseMicros(text, out var micros));
        Assert.Equal(utc, Timestamps.FormatUtcMicros(micros));
    }

    [Theory]
    [InlineData("2026-03-10T09:00:00")]
    [InlineData("2026-03-10T09:00:00.123456")]
    [InlineData("2026-03-10")]
    [InlineData("2026-02-30T09:00:00Z")]
    [InlineData("2026-03-10T24:00:00Z")]
    [InlineData("yesterday")]
    [InlineData("2026-11-25T٠٩:00:00Z")] // Arabic-Indic digits: Unicode digits, not ISO 8601's
    [InlineData("٢٠٢٦-11-25T09:00:00Z")]
    [InlineData("2026-11-25T09:00:00+٠١:00")]
    [InlineData("2026-11-25T09:00:00.١٢Z")]
    [InlineData("")]
    [InlineData(null)]
    public void Timestamps_without_an_offset_or_invalid_are_refused(string? text) => Assert.False(Timestamps.TryParseMicros(text, out _));

    [Fact]
    public void Query_times_refuse_non_ascii_digits() =>
        Assert.False(Timestamps.TryParseQueryTime("٢٠٢٦-01-15", out _));

    [Fact]
    public void Query_times_also_accept_a_bare_date_as_utc_midnight()
    {
        Assert.True(Timestamps.TryParseQueryTime("2026-01-15", out var micros));
        Assert.Equal("2026-01-15T00:00:00Z", Timestamps.FormatUtcSeconds(micros));
    }

    [Fact]
    public void Days_are_utc_days_before_and_after_the_epoch()
    {
        Assert.Equal(new DateOnly(1969, 12, 31), Timestamps.DayOf(-1));
        Assert.Equal(new DateOnly(1970, 1, 1), Timestamps.DayOf(0));
        Assert.Equal(Timestamps.StartOfDay(new DateOnly(2026, 3, 10)), Timestamps.FromDateTimeOffset(new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero)));
    }
}
