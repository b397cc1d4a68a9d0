using System.Numerics;
using Beacon.Domain.Meters;
using Beacon.Domain.Quotas;
using Beacon.Domain.Statements;
using Beacon.Domain.Time;

namespace Beacon.Domain.Tests;

public sealed class QuotaStatusTests
{
    private static readonly Month November = new(2026, 11);
    private static readonly long Midway = Timestamps.StartOfDay(new DateOnly(2026, 11, 16));

    [Theory]
    [InlineData(790, QuotaState.Ok, 79.0)]
    [InlineData(799, QuotaState.Ok, 79.9)]
    [InlineData(800, QuotaState.Warning, 80.0)]
    [InlineData(999, QuotaState.Warning, 99.9)]
    [InlineData(1000, QuotaState.Exceeded, 100.0)]
    [InlineData(2500, QuotaState.Exceeded, 250.0)]
    [InlineData(0, QuotaState.Ok, 0.0)]
    public void States_turn_at_exactly_80_and_100_percent(long used, QuotaState state, double percent)
    {
        var s = QuotaStatus.Evaluate(new Quota("agent_runs", 1000), used, November, Midway);
        Assert.Equal(state, s.State);
        Assert.Equal((decimal)percent, s.Percent);
    }

    [Fact]
    public void Percent_never_rounds_up_into_the_next_state()
    {
        // 79.99 % is shown as 79.9 %: a quota that is still ok never reads 80.0 %.
        var s = QuotaStatus.Evaluate(new Quota("traces", 10_000), 7_999, November, Midway);
        Assert.Equal(79.9m, s.Percent);
        Assert.Equal(QuotaState.Ok, s.State);
    }

    [Fact]
    public void The_projection_is_linear_to_the_end_of_the_month()
    {
        // 15 of 30 days have passed: twice the usage so far.
        Assert.Equal(1000, QuotaStatus.Project(500, November, Midway));
        Assert.Equal(0, QuotaStatus.Project(0, November, Midway));
        // After the month, the projection is the usage itself.
        Assert.Equal(500, QuotaStatus.Project(500, November, Timestamps.StartOfDay(new DateOnly(2026, 12, 3))));
    }

    [Fact]
    public void States_percentages_and_projections_agree_with_exact_rational_arithmetic()
    {
        for (int seed = 0; seed < 2000; seed++)
        {
            var random = new Random(seed);
            long limit = random.NextInt64(1, 1_000_000_000_000);
            long used = random.Next(4) == 0 ? limit * random.Next(70, 120) / 100 : random.NextInt64(0, 2 * limit);
            long now = November.StartMicros + random.NextInt64(1, November.EndMicros - November.StartMicros);
            var s = QuotaStatus.Evaluate(new Quota("nodes_executed", limit), used, November, now);

            var ratio = new BigInteger(used) * 100;
            var expectedState = ratio >= new BigInteger(limit) * 100 ? QuotaState.Exceeded : ratio >= new BigInteger(limit) * 80 ? QuotaState.Warning : QuotaState.Ok;
            Assert.Equal(expectedState, s.State);
            Assert.Equal((decimal)(long)(new BigInteger(used) * 1000 / limit) / 10m, s.Percent);
            var exact = (new BigInteger(used) * (November.EndMicros - November.StartMicros) * 2 + (now - November.StartMicros)) / (2 * new BigInteger(now - November.StartMicros));
            Assert.Equal(exact, (BigInteger)s.Projected);
        }
    }

    [Fact]
    public void Quota_specs_are_metric_equals_a_whole_limit()
    {
        var ok = QuotaParser.Parse(MeterCatalog.Default, ["agent_runs=1000", "traces=5", "standby_minutes=43200"]);
        Assert.True(ok.IsValid);
        Assert.Equal([new Quota("agent_runs", 1000), new Quota("traces", 5), new Quota("standby_minutes", 43200)], ok.Value);

        foreach (var bad in new[] { "runs=5", "traces_longlived=5", "agent_runs", "agent_runs=0", "agent_runs=-3", "agent_runs=1.5", "agent_runs=x" })
            Assert.False(QuotaParser.Parse(MeterCatalog.Default, [bad]).IsValid, bad);
        Assert.Contains("more than once", QuotaParser.Parse(MeterCatalog.Default, ["traces=1", "traces=2"]).Errors[0].Message);
    }

    [Fact]
    public void A_quota_uses_the_sum_of_the_meters_that_count_towards_it()
    {
        var catalog = MeterCatalog.Default;
        var totals = MeterTotals.Of([("traces_longlived", 7), ("traces_shortlived", 5), ("standby_minutes", 1440), ("agent_runs", 3)]);
        Assert.Equal(12, QuotaStatus.UsedOf(catalog, "traces", totals));
        Assert.Equal(1440, QuotaStatus.UsedOf(catalog, "standby_minutes", totals));
        Assert.Equal(0, QuotaStatus.UsedOf(catalog, "nodes_executed", totals));
        Assert.Equal(["agent_runs", "nodes_executed", "agent_uptime_seconds", "standby_minutes", "traces"], catalog.QuotaMetrics);
    }
}
