using Beacon.Domain.Meters;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Tests;

public sealed class MeterCatalogTests
{
    private static MeterCatalog Catalog => MeterCatalog.Default;

    [Fact]
    public void The_catalog_lists_every_billed_quantity_once_with_where_it_shows()
    {
        Assert.Equal(["agent_runs", "nodes_executed", "agent_uptime_seconds", "standby_minutes", "traces_longlived", "traces_shortlived"], Catalog.Meters.Select(m => m.Name));
        Assert.Equal(["nodes_executed", "agent_runs", "agent_uptime_seconds", "standby_minutes"], Catalog.GranularColumns(UsageKind.Deployments).Select(c => c.Field.Name));
        Assert.Equal(["Nodes Executed", "Agent Runs", "Agent Uptime (seconds)"], Catalog.GranularColumns(UsageKind.Deployments).Select(c => c.Field.CsvColumn).OfType<string>());
        var traces = Assert.Single(Catalog.GranularColumns(UsageKind.Traces));
        Assert.Equal(("traces", "Traces", 2), (traces.Field.Name, traces.Field.CsvColumn, traces.MeterIndexes.Count));
        Assert.Equal(Aggregation.DistinctMinuteSlots, Catalog.Find("standby_minutes")!.Aggregation);
        Assert.Equal("agent_uptime_seconds", Catalog.Find("standby_minutes")!.Granular!.NoteOn);
        Assert.Null(Catalog.Find("traces"));
        // One slot per meter, three for distinct minutes (deployment, user, API key).
        Assert.Equal(8, Catalog.Slots.Count);
    }

    [Fact]
    public void A_meter_of_an_existing_aggregation_is_one_entry()
    {
        var extended = Catalog.With(new Meter("runs_again", "runs", "Runs, again", Aggregation.ApportionedSum) { Measure = UsageReport.RunsMeasure, Granular = new GranularField("runs_again", 9) });
        Assert.Equal("runs_again", extended.Meters[^1].Name);
        Assert.Contains("runs_again", extended.QuotaMetrics);
        Assert.Equal("runs_again", extended.GranularColumns(UsageKind.Deployments)[^1].Field.Name);
        Assert.NotEqual(Catalog.Fingerprint, extended.Fingerprint);
    }

    public static TheoryData<string, Meter> Refused => new()
    {
        { "not one this code handles", new Meter("maximum", "runs", "Max", (Aggregation)42) },
        { "names the measure", new Meter("runs_x", "runs", "Runs", Aggregation.ApportionedSum) },
        { "not a counted window measure", new Meter("graphs", "graphs", "Graphs", Aggregation.ApportionedSum) { Measure = "langgraph.platform.py_graphs" } },
        { "names the tier", new Meter("traces_any", "traces", "Traces", Aggregation.TraceCount) },
        { "names the tier", new Meter("uptime_x", "seconds", "Uptime", Aggregation.OverlapSeconds) { Tier = TraceTier.Longlived } },
        { "used twice", new Meter("agent_runs", "runs", "Runs", Aggregation.ApportionedSum) { Measure = UsageReport.RunsMeasure } },
        { "lower-case", new Meter("Agent Runs", "runs", "Runs", Aggregation.ApportionedSum) { Measure = UsageReport.RunsMeasure } },
        { "lower-case", new Meter("a__b", "runs", "Runs", Aggregation.ApportionedSum) { Measure = UsageReport.RunsMeasure } },
        { "defined differently", new Meter("traces_other", "traces", "Traces", Aggregation.TraceCount) { Tier = TraceTier.Longlived, Granular = new GranularField("traces", 5) } },
        { "same CSV column", new Meter("runs_csv", "runs", "Runs", Aggregation.ApportionedSum) { Measure = UsageReport.RunsMeasure, Granular = new GranularField("runs_csv", 7) { CsvColumn = "Agent Runs" } } },
        { "same order", new Meter("runs_order", "runs", "Runs", Aggregation.ApportionedSum) { Measure = UsageReport.RunsMeasure, Granular = new GranularField("runs_order", 1) } },
        { "has no card", new Meter("runs_note", "runs", "Runs", Aggregation.ApportionedSum) { Measure = UsageReport.RunsMeasure, Granular = new GranularField("runs_note", 8) { NoteOn = "standby_minutes", NoteText = "runs" } } },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_meter_that_no_code_could_handle_is_refused_when_the_catalog_is_built(string why, Meter meter)
    {
        var e = Assert.Throws<ArgumentException>(() => Catalog.With(meter));
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }
}
