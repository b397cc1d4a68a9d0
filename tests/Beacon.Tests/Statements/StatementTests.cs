using System.Net;
using System.Text.Json;
using Beacon.Domain.Statements;
using Beacon.Storage.Stores;
using Beacon.Tests.Vendor;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Statements;

/// <summary>
/// Monthly statements (SPEC §13) against Azurite through the HTTP API. The statements ledger is shared
/// by every org of the fixture, so each test works in months of its own (counted back from the clock's
/// month) and reads only its org's lines.
/// </summary>
[Collection(LedgerCollection.Name)]
[Trait("Tier", "Slow")] // month datasets against a brute-force model
public sealed class StatementTests(NoFleetWriterFixture f)
{
    private Month Back(int months) => StatementDataset.MonthsBack(f, months);

    private static string Text(Totals t) => t.ToString();

    private static void AssertSame(Dictionary<string, Totals> expected, Dictionary<string, Totals> actual, string what) =>
        Assert.True(expected.OrderBy(kv => kv.Key).SequenceEqual(actual.OrderBy(kv => kv.Key)),
            $"{what}\nexpected: {string.Join(" | ", expected.OrderBy(kv => kv.Key).Select(kv => kv.Key + ":" + Text(kv.Value)))}\nactual:   {string.Join(" | ", actual.OrderBy(kv => kv.Key).Select(kv => kv.Key + ":" + Text(kv.Value)))}");

    private async Task<JsonElement> StatementAsync(string key, Month month) =>
        await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={month}", key);

    private Task RollupAsync(string orgId) => f.RollupAsync(orgId);

    [Fact]
    public async Task An_open_months_lines_are_kept_by_the_rollup_and_equal_the_granular_usage_api_and_a_brute_force_model_per_license()
    {
        var key = await Operators.NewKeyAsync(f);
        for (int seed = 1; seed <= 2; seed++)
        {
            var data = await StatementDataset.CreateAsync(f, Back(2 + seed));
            await data.AddUsageAsync(new Random(seed), windows: 30, traceBatches: 3);
            var expected = data.Expected();
            Assert.True(expected.Count >= 2, $"seed {seed}: the dataset should bill at least two lines");

            // Nothing is computed on a request: until the rollup has counted the org's days, it has no line.
            var before = await StatementAsync(key, data.Month);
            Assert.Equal("open", before.GetProperty("state").GetString());
            Assert.Equal(JsonValueKind.Null, before.GetProperty("closed_at").ValueKind);
            Assert.Empty(data.LinesOf(before));

            await RollupAsync(data.Org.OrgId);
            var statement = await StatementAsync(key, data.Month);
            AssertSame(expected, data.LinesOf(statement), $"seed {seed}: statement vs model");
            AssertSame(await data.FromUsageApiAsync(), data.LinesOf(statement), $"seed {seed}: statement vs granular usage API");
            var lines = statement.GetProperty("lines").EnumerateArray().Where(l => l.GetProperty("org_id").GetString() == data.Org.OrgId).ToList();
            Assert.Equal("enterprise", lines.First(l => l.GetProperty("license_id").GetString() == data.Org.LicenseId).GetProperty("plan").GetString());
            // The month is over: every line counts it to its last day.
            Assert.All(lines, l => Assert.Equal(data.Month.EndDay.AddDays(-1).ToString("yyyy-MM-dd"), l.GetProperty("through").GetString()));

            // More usage changes nothing until the next run, which counts it.
            await data.AddUsageAsync(new Random(seed + 10), windows: 6, traceBatches: 1);
            AssertSame(expected, data.LinesOf(await StatementAsync(key, data.Month)), $"seed {seed}: before the next run");
            await RollupAsync(data.Org.OrgId);
            var again = await StatementAsync(key, data.Month);
            AssertSame(data.Expected(), data.LinesOf(again), $"seed {seed}: statement vs model after more usage");
            AssertSame(await data.FromUsageApiAsync(), data.LinesOf(again), $"seed {seed}: statement vs granular usage API after more usage");
        }
    }

    [Fact]
    public async Task Late_usage_for_a_closed_month_leaves_its_lines_byte_identical_and_becomes_adjustments_on_the_next_open_month()
    {
        var key = await Operators.NewKeyAsync(f, "ops-close");
        for (int seed = 1; seed <= 2; seed++)
        {
            var closedMonth = Back(6 + 3 * seed);
            var data = await StatementDataset.CreateAsync(f, closedMonth);
            var random = new Random(100 + seed);
            await data.AddUsageAsync(random, windows: 20, traceBatches: 2);

            var close = await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/statements/{closedMonth}/close", key);
            Assert.True(close.StatusCode == HttpStatusCode.OK, await close.Content.ReadAsStringAsync());
            var atClose = await StatementAsync(key, closedMonth);
            Assert.Equal("closed", atClose.GetProperty("state").GetString());
            var frozen = data.LinesOf(atClose);
            AssertSame(data.Expected(), frozen, $"seed {seed}: lines at the close");
            var frozenJson = atClose.GetProperty("lines").GetRawText();

            for (int round = 0; round < 2; round++)
            {
                // Late windows, supersedes of closed windows and repeated trace ids, then the timer.
                await data.AddUsageAsync(random, windows: 12, traceBatches: 2);
                await RollupAsync(data.Org.OrgId);

                var after = await StatementAsync(key, closedMonth);
                Assert.Equal(frozenJson, after.GetProperty("lines").GetRawText());

                var next = await StatementAsync(key, closedMonth.Next);
                Assert.Equal("open", next.GetProperty("state").GetString());
                var adjustments = next.GetProperty("adjustments").EnumerateArray().Where(a => a.GetProperty("org_id").GetString() == data.Org.OrgId).ToList();
                Assert.All(adjustments, a =>
                {
                    Assert.Equal(closedMonth.ToString(), a.GetProperty("for_month").GetString());
                    Assert.Equal(closedMonth.Next.ToString(), a.GetProperty("recorded_in_month").GetString());
                    Assert.Equal("late usage", a.GetProperty("reason").GetString());
                    Assert.NotEqual(0, a.GetProperty("delta").GetInt64());
                });
                var reconciled = new Dictionary<string, Totals>(frozen);
                foreach (var a in adjustments)
                {
                    var license = a.GetProperty("license_id").GetString() ?? "";
                    reconciled[license] = (reconciled.GetValueOrDefault(license) ?? Totals.Zero).Plus(a.GetProperty("metric").GetString()!, a.GetProperty("delta").GetInt64());
                }
                reconciled = reconciled.Where(kv => !kv.Value.IsZero).ToDictionary();
                AssertSame(data.Expected(), reconciled, $"seed {seed} round {round}: closed lines + adjustments vs model");
                AssertSame(await data.FromUsageApiAsync(), reconciled, $"seed {seed} round {round}: closed lines + adjustments vs granular usage API");
            }

            // Reconciling again without new usage records nothing more.
            var count = (await StatementAsync(key, closedMonth.Next)).GetProperty("adjustments").GetArrayLength();
            await f.Run().RunAsync(null, data.Org.OrgId);
            Assert.Equal(count, (await StatementAsync(key, closedMonth.Next)).GetProperty("adjustments").GetArrayLength());
        }
    }

    [Fact]
    public async Task Only_an_ended_month_can_be_closed_and_once_and_each_close_is_audited()
    {
        var key = await Operators.NewKeyAsync(f, "ops-closer");
        var current = Month.Of(f.Clock.GetUtcNow());
        var refused = await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/statements/{current}/close", key);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("has not ended", await refused.Content.ReadAsStringAsync());
        Assert.Equal("open", (await StatementAsync(key, current)).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await Operators.SendAsync(f.Http, HttpMethod.Post, "/api/v1/operator/statements/2026-13/close", key)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Operators.SendAsync(f.Http, HttpMethod.Get, "/api/v1/operator/statements?month=October", key)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Operators.SendAsync(f.Http, HttpMethod.Get, $"/api/v1/operator/statements?month={current.Next}", key)).StatusCode);

        var month = Back(14);
        var ok = await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/statements/{month}/close", key);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var again = await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/statements/{month}/close", key);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // The CLI closes too, as "cli"; closing a closed month there fails with the reason.
        var cliMonth = Back(15);
        var (code, stdout, _) = await CliAsync("statement", "close", "--month", cliMonth.ToString(), "--json");
        Assert.Equal(0, code);
        Assert.Equal("closed", JsonDocument.Parse(stdout).RootElement.GetProperty("state").GetString());
        var (code2, _, stderr2) = await CliAsync("statement", "close", "--month", cliMonth.ToString());
        Assert.NotEqual(0, code2);
        Assert.Contains("already closed", stderr2);
        var (code3, _, stderr3) = await CliAsync("statement", "close", "--month", current.ToString());
        Assert.NotEqual(0, code3);
        Assert.Contains("has not ended", stderr3);

        var audit = (await Operators.GetJsonAsync(f.Http, "/api/v1/operator/audit?limit=200", key)).GetProperty("records").EnumerateArray().ToList();
        var byApi = Assert.Single(audit, a => a.GetProperty("action").GetString() == "statement.close" && a.GetProperty("target").GetString() == "statement:" + month
                                  && a.GetProperty("actor").GetString() == "ops-closer");
        var byCli = Assert.Single(audit, a => a.GetProperty("action").GetString() == "statement.close" && a.GetProperty("target").GetString() == "statement:" + cliMonth
                                  && a.GetProperty("actor").GetString() == "cli");
        // One code path (Operations.StatementClosing) whichever door: the same record, its detail the closed month's line count.
        foreach (var (record, closed) in new[] { (byApi, month), (byCli, cliMonth) })
        {
            var detail = record.GetProperty("detail");
            Assert.Equal(["lines"], detail.EnumerateObject().Select(p => p.Name));
            Assert.Equal((await StatementAsync(key, closed)).GetProperty("lines").GetArrayLength().ToString(System.Globalization.CultureInfo.InvariantCulture), detail.GetProperty("lines").GetString());
        }
    }

    [Fact]
    public async Task A_manual_adjustment_needs_a_reason_lands_on_the_first_open_month_and_is_audited()
    {
        var key = await Operators.NewKeyAsync(f, "ops-adjuster");
        var orgName = "Credited Co " + Guid.NewGuid().ToString("N")[..6];
        var org = await f.NewOrgAsync(orgName);
        var closed = Back(17);
        Assert.Equal(HttpStatusCode.OK, (await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/statements/{closed}/close", key)).StatusCode);
        var before = (await StatementAsync(key, closed.Next)).GetProperty("adjustments").GetArrayLength();

        foreach (var bad in new object[]
        {
            new { org_id = org.OrgId, license_id = org.LicenseId, metric = "agent_runs", delta = -40, for_month = closed.ToString() },
            new { org_id = org.OrgId, license_id = org.LicenseId, metric = "agent_runs", delta = -40, for_month = closed.ToString(), reason = "  " },
            new { org_id = org.OrgId, license_id = org.LicenseId, metric = "runs", delta = -40, for_month = closed.ToString(), reason = "credit" },
            new { org_id = org.OrgId, license_id = org.LicenseId, metric = "agent_runs", delta = 0, for_month = closed.ToString(), reason = "credit" },
            new { org_id = org.OrgId, license_id = Guid.NewGuid().ToString(), metric = "agent_runs", delta = 5, for_month = closed.ToString(), reason = "credit" },
            new { org_id = org.OrgId, license_id = org.LicenseId, metric = "agent_runs", delta = 5, for_month = Month.Of(f.Clock.GetUtcNow()).Next.ToString(), reason = "credit" },
        })
        {
            var response = await Operators.SendAsync(f.Http, HttpMethod.Post, "/api/v1/operator/adjustments", key, bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(before, (await StatementAsync(key, closed.Next)).GetProperty("adjustments").GetArrayLength());

        var created = await Operators.SendAsync(f.Http, HttpMethod.Post, "/api/v1/operator/adjustments", key,
            new { org_id = org.OrgId, license_id = org.LicenseId, metric = "agent_runs", delta = -40, for_month = closed.ToString(), reason = "Credit for the outage of the 3rd" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var adjustment = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(closed.Next.ToString(), adjustment.GetProperty("recorded_in_month").GetString());
        Assert.Equal(orgName, adjustment.GetProperty("org_name").GetString());

        var listed = (await StatementAsync(key, closed.Next)).GetProperty("adjustments").EnumerateArray()
            .Single(a => a.GetProperty("id").GetString() == adjustment.GetProperty("id").GetString());
        Assert.Equal(-40, listed.GetProperty("delta").GetInt64());
        Assert.Equal(closed.ToString(), listed.GetProperty("for_month").GetString());
        Assert.Equal("Credit for the outage of the 3rd", listed.GetProperty("reason").GetString());
        Assert.Equal("ops-adjuster", listed.GetProperty("actor").GetString());
        // The org has no usage, so no line that month: its name still comes with the adjustment (the console shows it).
        Assert.Equal(orgName, listed.GetProperty("org_name").GetString());

        var audit = (await Operators.GetJsonAsync(f.Http, "/api/v1/operator/audit?limit=50", key)).GetProperty("records").EnumerateArray()
            .Single(a => a.GetProperty("action").GetString() == "adjustment.create" && a.GetProperty("target").GetString() == "adjustment:" + adjustment.GetProperty("id").GetString());
        Assert.Equal("ops-adjuster", audit.GetProperty("actor").GetString());
        Assert.Equal("Credit for the outage of the 3rd", audit.GetProperty("detail").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task The_csv_export_lists_every_line_then_every_adjustment_with_the_same_numbers()
    {
        var key = await Operators.NewKeyAsync(f, "ops-csv");
        var month = Back(19);
        var data = await StatementDataset.CreateAsync(f, month);
        await data.AddUsageAsync(new Random(7), windows: 10, traceBatches: 1);
        Assert.Equal(HttpStatusCode.Created, (await Operators.SendAsync(f.Http, HttpMethod.Post, "/api/v1/operator/adjustments", key,
            new { org_id = data.Org.OrgId, license_id = (string?)null, metric = "traces_shortlived", delta = 12, for_month = month.ToString(), reason = "=HYPERLINK(\"x\")" })).StatusCode);

        var json = await StatementAsync(key, month);
        var response = await Operators.SendAsync(f.Http, HttpMethod.Get, $"/api/v1/operator/statements?month={month}&format=csv", key);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"beacon_statement_{month}.csv", response.Content.Headers.ContentDisposition?.ToString());
        var rows = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("kind,month,org_id,org_name,license_id,plan,agent_runs,nodes_executed,agent_uptime_seconds,standby_minutes,traces_longlived,traces_shortlived,for_month,reason,recorded_at,source", rows[0]);
        Assert.Equal(json.GetProperty("lines").GetArrayLength() + json.GetProperty("adjustments").GetArrayLength(), rows.Length - 1);

        var mine = rows.Skip(1).Select(r => r.Split(',')).Where(c => c[2] == data.Org.OrgId).ToList();
        var lines = mine.Where(c => c[0] == "line").ToDictionary(c => c[4], c => Totals.Meters.Select((m, i) => (m, i))
            .Aggregate(Totals.Zero, (t, x) => t.Plus(x.m, long.Parse(c[6 + x.i], System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(data.LinesOf(json).OrderBy(kv => kv.Key), lines.OrderBy(kv => kv.Key));
        var adjustmentRow = Assert.Single(mine, c => c[0] == "adjustment");
        Assert.Equal("12", adjustmentRow[11]);
        Assert.Equal("", adjustmentRow[6]);
        Assert.StartsWith("\"\t=HYPERLINK", string.Join(",", adjustmentRow[13..]));
    }

    private Task<(int Code, string Stdout, string Stderr)> CliAsync(params string[] args) => StatementDataset.CliAsync(f, args);
}
