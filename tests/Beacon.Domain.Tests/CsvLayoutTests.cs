using Beacon.Domain.Csv;
using Beacon.Domain.Meters;
using Beacon.Domain.Query;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Tests;

public sealed class CsvLayoutTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\t=HYPERLINK(\"http://x\",\"y\")")]
    [InlineData("+1, \"q\"\n", "\t+1, \"q\"\n")]
    [InlineData("-2", "\t-2")]
    [InlineData("@SUM(A1)", "\t@SUM(A1)")]
    [InlineData("\tx", "\t\tx")]
    [InlineData("\rx", "\t\rx")]
    [InlineData("\nx", "\t\nx")]
    [InlineData("plain", "plain")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    public void Formula_starters_are_tab_prefixed(string value, string expected) => Assert.Equal(expected, CsvLayout.Neutralize(value));

    [Fact]
    public void Headers_match_the_spec_exactly()
    {
        var layout = new CsvLayout(MeterCatalog.Default);
        Assert.Equal("Time Bucket Start,Time Bucket End,Workspace ID,Workspace Name,Project ID,Project Name,User ID,User Email,API Key Short Key,Trace Tier,Traces",
            string.Join(',', layout.Header(UsageKind.Traces)));
        Assert.Equal("Time Bucket Start,Time Bucket End,Workspace ID,Workspace Name,Project ID,Project Name,User ID,User Email,API Key Short Key,Nodes Executed,Agent Runs,Agent Uptime (seconds)",
            string.Join(',', layout.Header(UsageKind.Deployments)));
    }

    [Fact]
    public void Only_the_grouped_columns_are_populated()
    {
        var layout = new CsvLayout(MeterCatalog.Default);
        // Deployment meters in catalog order: agent_runs, nodes_executed, agent_uptime_seconds (seconds), standby_minutes (JSON only).
        var r = new UsageRecord(0, 86_400_000_000, "p1", [3, 9, 2, 7]);
        var row = layout.Row(UsageKind.Deployments, GroupBy.Project, r, new DimensionLabel("p1", "Bot"));
        Assert.Equal(["1970-01-01T00:00:00Z", "1970-01-02T00:00:00Z", "", "", "p1", "Bot", "", "", "", "9", "3", "2"], row);
        var t = layout.Row(UsageKind.Traces, GroupBy.TraceTier, new UsageRecord(0, 1, "longlived", [5, 0]), new DimensionLabel("longlived", null));
        Assert.Equal("longlived", t[9]);
        Assert.Equal("5", t[10]);
        // Both tiers add up into the one Traces column.
        Assert.Equal("9", layout.Row(UsageKind.Traces, GroupBy.Workspace, new UsageRecord(0, 1, "w", [4, 5]), new DimensionLabel("w", null))[10]);
    }

    [Fact]
    public void Records_with_the_same_values_are_equal()
    {
        Assert.Equal(new UsageRecord(0, 1, "p", [3, 9]), new UsageRecord(0, 1, "p", [3, 9]));
        Assert.NotEqual(new UsageRecord(0, 1, "p", [3, 9]), new UsageRecord(0, 1, "p", [3, 8]));
    }
}
