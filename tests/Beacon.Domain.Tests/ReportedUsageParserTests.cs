using Beacon.Domain.Csv;
using Beacon.Domain.Meters;
using Beacon.Domain.Reports;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Tests;

/// <summary>The rules a self-reported file is held to (SPEC §17), and what its rows bill.</summary>
public sealed class ReportedUsageParserTests
{
    private static readonly MeterCatalog Catalog = MeterCatalog.Default;
    private static readonly DateOnly Today = new(2026, 12, 5);

    private static string[] Header(UsageKind kind) => [.. new CsvLayout(Catalog).Header(kind)];

    private static string[] Row(DateOnly day, string ws, string wsName, string project, string projectName, params string[] values) =>
        [$"{day:yyyy-MM-dd}T00:00:00Z", $"{day.AddDays(1):yyyy-MM-dd}T00:00:00Z", ws, wsName, project, projectName, "", "", "", .. values];

    [Fact]
    public void A_file_the_export_wrote_reads_back_with_its_neutralized_names_restored()
    {
        var ws = Guid.NewGuid().ToString("D");
        var parsed = ReportedUsageParser.Parse(Catalog, [
            ["\uFEFF" + Header(UsageKind.Deployments)[0], .. Header(UsageKind.Deployments).Skip(1)],
            Row(Today.AddDays(-1), ws.ToUpperInvariant(), "\t=SUM(A1)", "", "", "30", "10", "3601"),
            Row(Today, "", "", "", "", "0", "0", "0"), // usage without a workspace fits either grouping; today is allowed
        ], Today);
        var usage = Assert.IsType<ReportedUsage>(parsed.Value);
        Assert.Equal(ReportGrouping.Workspace, usage.Grouping);
        Assert.Equal([Today.AddDays(-1), Today], usage.Days);
        Assert.Equal(ws, usage.Rows[0].WorkspaceId); // UUIDs are stored lower-case
        Assert.Equal("=SUM(A1)", usage.Rows[0].WorkspaceName);
        Assert.Equal([30L, 10L, 3601L], usage.Rows[0].Values);
    }

    [Fact]
    public void Every_bad_row_is_named_and_one_bad_row_refuses_the_file()
    {
        var parsed = ReportedUsageParser.Parse(Catalog, [
            Header(UsageKind.Traces),
            [.. Row(Today.AddDays(-1), "", "", "p-1", "", "5")[..9], "", "5"], // fine
            [.. Row(Today.AddDays(-1), Guid.NewGuid().ToString(), "", "", "", "5")[..9], "", "5"], // a workspace in a project file
            [.. Row(Today.AddDays(-1), "", "", "p-2", "", "5")[..9], "longlived", "5"], // grouped by tier
            [.. Row(new DateOnly(2019, 12, 31), "", "", "p-3", "", "5")[..9], "", "5"], // before 2020
            [.. Row(Today.AddDays(-1), "", "", "p-1", "", "5")[..9], "", "7"], // repeats row 1
            [.. Row(Today.AddDays(-2), "", "", "p-1", "", "5")[..9], "", "1.5"], // not a whole number
            ["2026-12-01T00:00:00Z", "2026-12-01T12:00:00Z", "", "", "p-1", "", "", "", "", "", "1"], // half a day
            ["too", "short"],
        ], Today);
        Assert.Null(parsed.Value);
        Assert.Equal(["row 2", "row 3", "row 4", "row 5", "row 6", "row 7", "row 8"], parsed.Errors.Select(e => e.Field));
        Assert.Contains("one grouping", parsed.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("repeats row 1", parsed.Errors[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_bills_its_counts_its_uptime_in_seconds_and_standby_minutes_derived_from_uptime()
    {
        foreach (var (uptime, minutes) in new[] { (0L, 0L), (1L, 1L), (60L, 1L), (61L, 2L), (3601L, 61L), (86_400L, 1440L), (300_000L, 1440L) })
        {
            var cell = ReportedCells.Of(Catalog, UsageKind.Deployments, "lic", new ReportedRow(Today, "", "", "p-1", "", [7, 3, uptime]));
            Assert.Equal(UsageSource.SelfReported, cell.Key.Source);
            Assert.Equal("lic", cell.Key.LicenseId);
            long Value(string meter, MinuteScope scope = MinuteScope.Deployment) => (long)cell.Values[Catalog.SlotOf(Catalog.Find(meter)!, scope)];
            Assert.Equal(7, Value("nodes_executed"));
            Assert.Equal(3, Value("agent_runs"));
            Assert.Equal(uptime, (long)Catalog.Find("agent_uptime_seconds")!.Finish(Value("agent_uptime_seconds")));
            Assert.All(Enum.GetValues<MinuteScope>(), s => Assert.Equal(minutes, Value("standby_minutes", s)));
        }
        var traces = ReportedCells.Of(Catalog, UsageKind.Traces, "lic", new ReportedRow(Today, "", "", "p-1", "", [42]));
        Assert.Equal(42, (long)traces.Values[Catalog.SlotOf(Catalog.Find("traces_shortlived")!, MinuteScope.Deployment)]);
        Assert.Equal(0, (long)traces.Values[Catalog.SlotOf(Catalog.Find("traces_longlived")!, MinuteScope.Deployment)]);
    }
}
