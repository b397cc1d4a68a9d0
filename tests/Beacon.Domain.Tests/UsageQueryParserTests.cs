using Beacon.Domain.Query;
using Beacon.Domain.Usage;
using Beacon.Domain.Time;

namespace Beacon.Domain.Tests;

public sealed class UsageQueryParserTests
{
    private const string Ws = "3a1c2b6f-4430-4b92-8a5b-79b8b567bbc1";

    private static Validated<UsageQuery> Parse(params (string Name, string Value)[] ps) =>
        UsageQueryParser.Parse(name => ps.Where(p => p.Name == name).Select(p => p.Value).ToList());

    private static UsageQuery Valid(params (string, string)[] ps)
    {
        var q = Parse(ps);
        Assert.True(q.IsValid, string.Join("; ", q.Errors.Select(e => e.Field + ": " + e.Message)));
        return q.Value!;
    }

    [Fact]
    public void An_unencoded_plus_offset_is_explained_as_an_encoding_problem()
    {
        // What "2026-11-01T00:00:00+02:00" becomes when the '+' is not URL-encoded.
        var q = Parse(("start_time", "2026-11-01T00:00:00 02:00"), ("end_time", "2026-11-02"), ("workspace_ids", Ws));
        var error = Assert.Single(q.Errors);
        Assert.Equal("start_time", error.Field);
        Assert.Contains("not URL-encoded", error.Message, StringComparison.Ordinal);
        Assert.Contains("2026-11-01T00:00:00%2B02:00", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("URL-encoded", Assert.Single(Parse(("start_time", "yesterday"), ("end_time", "2026-11-02"), ("workspace_ids", Ws)).Errors).Message, StringComparison.Ordinal);
        Assert.True(Parse(("start_time", "2026-11-01T00:00:00+02:00"), ("end_time", "2026-11-02"), ("workspace_ids", Ws)).IsValid);
    }

    [Fact]
    public void The_seeds_worked_example_returns_the_full_jan_1_and_jan_2_buckets()
    {
        var q = Valid(("start_time", "2026-01-01T12:00:00Z"), ("end_time", "2026-01-02T12:00:00Z"), ("workspace_ids", Ws));
        Assert.Equal("2026-01-01T00:00:00Z", Timestamps.FormatUtcSeconds(q.StartMicros));
        Assert.Equal("2026-01-03T00:00:00Z", Timestamps.FormatUtcSeconds(q.EndMicros));
        Assert.Equal(1, q.StrideDays);
        Assert.Equal([(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 2)), (new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 3))], q.Buckets());
        Assert.Equal((UsageKind.Traces, GroupBy.Workspace, (TraceTier?)null), (q.Kind, q.GroupBy, q.TierFilter));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(31, 1)]
    [InlineData(32, 7)]
    [InlineData(93, 7)]
    [InlineData(94, 30)]
    [InlineData(366, 30)]
    [InlineData(367, 365)]
    [InlineData(1826, 365)]
    public void Ranges_get_the_seeds_stride(int days, int stride)
    {
        var start = new DateOnly(2026, 1, 1);
        var q = Valid(("start_time", "2026-01-01T00:00:00Z"), ("end_time", $"{start.AddDays(days):yyyy-MM-dd}T00:00:00Z"), ("workspace_ids", Ws));
        Assert.Equal(days, q.RangeDays);
        Assert.Equal(stride, q.StrideDays);
        var buckets = q.Buckets();
        Assert.Equal(start, buckets[0].Start);
        Assert.Equal(q.EndDay, buckets[^1].End);
        Assert.All(buckets.SkipLast(1), b => Assert.Equal(stride, b.End.DayNumber - b.Start.DayNumber));
        Assert.InRange(buckets[^1].End.DayNumber - buckets[^1].Start.DayNumber, 1, stride);
    }

    [Fact]
    public void A_sub_day_window_still_buckets_at_one_day_and_an_end_at_midnight_is_not_rounded_up()
    {
        var q = Valid(("start_time", "2026-01-01T10:00:00Z"), ("end_time", "2026-01-01T11:00:00+00:00"), ("workspace_ids", Ws));
        Assert.Equal(1, q.RangeDays);
        var atMidnight = Valid(("start_time", "2026-01-01"), ("end_time", "2026-01-08T00:00:00Z"), ("workspace_ids", Ws));
        Assert.Equal(7, atMidnight.RangeDays);
    }

    [Fact]
    public void Workspaces_come_repeated_or_comma_separated_and_are_normalized_and_deduplicated()
    {
        const string other = "c5b5f53a-4716-4326-8967-d4f7f7799735";
        var q = Valid(("start_time", "2026-01-01"), ("end_time", "2026-01-02"), ("workspace_ids", Ws.ToUpperInvariant()), ("workspace_ids", $"{other}, {Ws}"));
        Assert.Equal([Ws, other], q.WorkspaceIds);
    }

    [Fact]
    public void Kind_group_by_and_tier_are_read()
    {
        var q = Valid(("start_time", "2026-01-01"), ("end_time", "2026-01-02"), ("workspace_ids", Ws), ("kind", "traces"), ("group_by", "trace_tier"), ("trace_tier", "shortlived"));
        Assert.Equal((UsageKind.Traces, GroupBy.TraceTier, (TraceTier?)TraceTier.Shortlived), (q.Kind, q.GroupBy, q.TierFilter));
        var d = Valid(("start_time", "2026-01-01"), ("end_time", "2026-01-02"), ("workspace_ids", Ws), ("kind", "langsmith_deployments"), ("group_by", "api_key"), ("trace_tier", "whatever"));
        Assert.Equal((UsageKind.Deployments, GroupBy.ApiKey, (TraceTier?)null), (d.Kind, d.GroupBy, d.TierFilter));
    }

    [Theory]
    [InlineData("start_time", "end_time", "workspace_ids")]
    public void Missing_parameters_are_each_named(params string[] fields)
    {
        var q = Parse();
        Assert.False(q.IsValid);
        Assert.Equal(fields.Order(), q.Errors.Select(e => e.Field).Distinct().Order());
    }

    [Theory]
    [InlineData("start_time", "2026-01-01T00:00:00", "start_time")]
    [InlineData("start_time", "nope", "start_time")]
    [InlineData("end_time", "2025-12-31T00:00:00Z", "end_time")]
    [InlineData("end_time", "2026-01-01T00:00:00Z", "end_time")]
    [InlineData("end_time", "2031-01-02T00:00:00Z", "end_time")]
    [InlineData("workspace_ids", "not-a-uuid", "workspace_ids")]
    [InlineData("workspace_ids", ",", "workspace_ids")]
    [InlineData("kind", "metrics", "kind")]
    [InlineData("kind", "", "kind")]
    [InlineData("group_by", "team", "group_by")]
    [InlineData("trace_tier", "forever", "trace_tier")]
    public void Invalid_parameters_are_named_in_the_error(string name, string value, string field)
    {
        var defaults = new List<(string, string)> { ("start_time", "2026-01-01T00:00:00Z"), ("end_time", "2026-01-10T00:00:00Z"), ("workspace_ids", Ws) };
        defaults.RemoveAll(p => p.Item1 == name);
        defaults.Add((name, value));
        var q = Parse([.. defaults]);
        Assert.False(q.IsValid);
        Assert.Contains(q.Errors, e => e.Field == field);
    }

    [Fact]
    public void Five_years_is_the_longest_range()
    {
        Assert.True(Parse(("start_time", "2026-01-01"), ("end_time", "2031-01-01"), ("workspace_ids", Ws)).IsValid);
        Assert.False(Parse(("start_time", "2026-01-01"), ("end_time", "2031-01-01T00:00:01Z"), ("workspace_ids", Ws)).IsValid);
    }

    [Fact]
    public void Trace_tier_grouping_is_refused_for_deployments()
    {
        var q = Parse(("start_time", "2026-01-01"), ("end_time", "2026-01-02"), ("workspace_ids", Ws), ("kind", "langsmith_deployments"), ("group_by", "trace_tier"));
        Assert.Equal("group_by", Assert.Single(q.Errors).Field);
    }
}
