using System.Net;
using System.Text.Json;
using Beacon.Domain.Statements;
using Beacon.Tests.Usage;
using Beacon.Tests.Vendor;

namespace Beacon.Tests.Reports;

/// <summary>
/// The property behind self-reported usage (SPEC §17): whatever sequence of reports arrives — overlapping
/// days, either grouping, zero rows, an older file sent again, the latest sent again — the granular usage
/// API and the statement show exactly what a brute-force model computes from the raw files: for each day,
/// the rows of the last report that covered it, standby minutes ⌈uptime ÷ 60⌉ (at most 1,440) per row.
/// </summary>
[Collection(ReportsCollection.Name)]
[Trait("Tier", "Slow")] // property datasets
public sealed class SelfReportedPropertyTests(NoFleetWriterFixture f)
{
    private const int Datasets = 10;
    private const string Header = "Time Bucket Start,Time Bucket End,Workspace ID,Workspace Name,Project ID,Project Name,User ID,User Email,API Key Short Key,Nodes Executed,Agent Runs,Agent Uptime (seconds)";

    private sealed record Row(DateOnly Day, string Ws, string Project, long Nodes, long Runs, long Uptime)
    {
        public long Standby => Math.Min(1440, (Uptime + 59) / 60);
    }

    private sealed record Report(byte[] Bytes, IReadOnlyList<Row> Rows);

    private static Report Generate(Random random, TestOrg org, DateOnly first)
    {
        bool byWorkspace = random.Next(2) == 0;
        string[] groups = byWorkspace ? [org.WorkspaceA, org.WorkspaceB, ""] : ["p-1", "p-2", ""];
        var rows = new List<Row>();
        foreach (var day in Enumerable.Range(0, 6).Select(first.AddDays).Where(_ => random.Next(3) == 0).DefaultIfEmpty(first.AddDays(random.Next(6))))
            foreach (var g in groups.Where(_ => random.Next(3) > 0).DefaultIfEmpty(groups[random.Next(3)]))
            {
                bool zero = random.Next(6) == 0; // how a day is corrected down to nothing
                rows.Add(new Row(day, byWorkspace ? g : "", byWorkspace ? "" : g,
                    zero ? 0 : random.Next(0, 5000), zero ? 0 : random.Next(0, 1000), zero ? 0 : random.Next(0, 3) == 0 ? random.Next(86_400, 300_000) : random.Next(0, 5000)));
            }
        var text = Header + "\r\n" + string.Concat(rows.OrderBy(_ => random.Next()).Select(r =>
            $"{ReportClient.Iso(r.Day)},{ReportClient.Iso(r.Day.AddDays(1))},{r.Ws},{(r.Ws.Length > 0 ? "Named " + r.Ws[..4] : "")},{r.Project},,,,,{r.Nodes},{r.Runs},{r.Uptime}\r\n"));
        return new Report(ReportClient.Bytes(text), rows);
    }

    [Fact]
    public async Task The_usage_api_and_statements_equal_a_brute_force_model_where_the_last_report_of_each_day_wins()
    {
        var key = await Operators.NewKeyAsync(f);
        var today = DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime);
        for (int n = 0; n < Datasets; n++)
        {
            int seed = PropertySeeds.Start + n;
            var random = new Random(seed);
            string Where() => $"dataset {seed} ({PropertySeeds.Replay})";
            var org = await f.NewOrgAsync();
            var orgKey = await ReportClient.OrgKeyAsync(f, org.OrgId);
            var first = today.AddDays(-random.Next(6, 70));
            var inEffect = new Dictionary<DateOnly, List<Row>>();
            var sent = new List<Report>();
            async Task SendAsync(int reports)
            {
                for (int r = reports; r > 0; r--)
                {
                    var report = sent.Count > 0 && random.Next(4) == 0 ? sent[random.Next(sent.Count)] : Generate(random, org, first);
                    var response = await ReportClient.UploadAsync(f.Http, key, org.LicenseId, report.Bytes);
                    var expected = sent.Count > 0 && sent[^1].Bytes.AsSpan().SequenceEqual(report.Bytes) ? HttpStatusCode.OK : HttpStatusCode.Created;
                    Assert.True(response.StatusCode == expected, $"{Where()}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    sent.Add(report);
                    foreach (var day in report.Rows.GroupBy(x => x.Day)) inEffect[day.Key] = [.. day];
                }
            }

            // Statement lines are the rollup's (through the last day that is over): checked once it has run.
            var through = DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime).AddDays(-1);
            await SendAsync(random.Next(3, 7));
            await CheckAsync(org, orgKey, key, first, [.. inEffect.Values.SelectMany(x => x)], null, Where() + ", from raw records");
            // Rolled up, then another report: its days are read from raw records again until the next run.
            await f.RollupAsync(org.OrgId);
            await CheckAsync(org, orgKey, key, first, [.. inEffect.Values.SelectMany(x => x)], through, Where() + ", from rollups");
            await SendAsync(1);
            await CheckAsync(org, orgKey, key, first, [.. inEffect.Values.SelectMany(x => x)], null, Where() + ", a report after the rollup");
            await f.RollupAsync(org.OrgId);
            await CheckAsync(org, orgKey, key, first, [.. inEffect.Values.SelectMany(x => x)], through, Where() + ", rolled up again");
        }
    }

    /// <param name="linesThrough">The day the org's statement lines count through (null: not checked, the rollup has not counted the latest reports).</param>
    private async Task CheckAsync(TestOrg org, string orgKey, string key, DateOnly first, List<Row> rows, DateOnly? linesThrough, string where)
    {
        var query = UsageClient.QueryString("langsmith_deployments", "project", null, ReportClient.Iso(first), ReportClient.Iso(first.AddDays(6)), [org.WorkspaceA, org.WorkspaceB, org.DefaultWorkspace]);
        var (_, byProject) = await UsageClient.QueryAsync(f.Http, orgKey, query, "project");
        AssertSame(rows.GroupBy(x => (x.Day, x.Project)), g => g.Key.Day, g => g.Key.Project, byProject, where + ", by project");
        var (_, byWorkspace) = await UsageClient.QueryAsync(f.Http, orgKey, query.Replace("group_by=project", "group_by=workspace", StringComparison.Ordinal), "workspace");
        AssertSame(rows.GroupBy(x => (x.Day, Ws: x.Ws.Length == 0 ? org.DefaultWorkspace : x.Ws)), g => g.Key.Day, g => g.Key.Ws, byWorkspace, where + ", by workspace");

        if (linesThrough is not { } through) return;
        foreach (var month in rows.Select(x => Month.Of(x.Day)).Distinct())
        {
            var statement = await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={month}&org_id={org.OrgId}", key);
            var line = statement.GetProperty("lines").EnumerateArray().SingleOrDefault(l =>
                l.GetProperty("license_id").GetString() == org.LicenseId && l.GetProperty("source").GetString() == "self_reported");
            var mine = rows.Where(x => Month.Of(x.Day) == month && x.Day <= through).ToList();
            (long, long, long, long) model = (mine.Sum(x => x.Runs), mine.Sum(x => x.Nodes), mine.Sum(x => x.Uptime), mine.Sum(x => x.Standby));
            if (model == (0, 0, 0, 0))
            {
                Assert.True(line.ValueKind == JsonValueKind.Undefined, $"{where}: {month} has no self-reported usage but a line {line}");
                continue;
            }
            Assert.True(line.ValueKind == JsonValueKind.Object, $"{where}: no self-reported line for {month}");
            Assert.Equal(model, (L(line, "agent_runs"), L(line, "nodes_executed"), L(line, "agent_uptime_seconds"), L(line, "standby_minutes")));
        }
    }

    private static long L(JsonElement e, string p) => e.GetProperty(p).GetInt64();

    private static void AssertSame<TKey>(IEnumerable<IGrouping<TKey, Row>> model, Func<IGrouping<TKey, Row>, DateOnly> day, Func<IGrouping<TKey, Row>, string> id,
        List<UsageModel.Row> actual, string what)
    {
        static string Text(DateOnly d, string? id, long runs, long nodes, long uptime, long standby) => $"{d:yyyy-MM-dd} {id} r{runs} n{nodes} u{uptime} s{standby}";
        var expected = model.Where(g => g.Any(x => x.Runs + x.Nodes + x.Uptime > 0))
            .Select(g => Text(day(g), id(g).Length == 0 ? null : id(g), g.Sum(x => x.Runs), g.Sum(x => x.Nodes), g.Sum(x => x.Uptime), g.Sum(x => x.Standby)))
            .Order(StringComparer.Ordinal).ToList();
        var got = actual.Select(r => Text(DateOnly.FromDateTime(r.Bucket.UtcDateTime), r.Id, r.Runs, r.Nodes, r.Uptime, r.Standby)).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(got), $"{what}\nexpected:\n{string.Join("\n", expected)}\nactual:\n{string.Join("\n", got)}");
    }
}
