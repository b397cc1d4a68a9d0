using System.Net;
using System.Text.Json;
using Beacon.Domain.Statements;
using Beacon.Tests.Usage;
using Beacon.Tests.Vendor;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Statements;

/// <summary>
/// Statement lines at fleet scale (SPEC §15): an open month's lines are kept by the rollup and served a page at a
/// time in key order, with the whole month's totals; a cursor taken while the month is open goes on after its close.
/// Each test works in months of its own.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class StatementPagingTests(NoFleetWriterFixture f)
{
    private Month Back(int months) => StatementDataset.MonthsBack(f, months);

    private static DateTimeOffset At(Month month, int day, int hour) => new(month.FirstDay.AddDays(day - 1).ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    private Task<JsonElement> PageAsync(string key, Month month, string query) =>
        Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={month}&{query}", key);

    /// <summary>Every page from the first, following next_cursor: the pages and the lines in the order served.</summary>
    private async Task<(int Pages, List<JsonElement> Lines)> AllPagesAsync(string key, Month month, string query, int limit)
    {
        var lines = new List<JsonElement>();
        string? cursor = null;
        int pages = 0;
        do
        {
            var page = await PageAsync(key, month, $"{query}&limit={limit}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            var served = page.GetProperty("lines").EnumerateArray().ToList();
            Assert.InRange(served.Count, 0, limit);
            lines.AddRange(served);
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null);
        return (pages, lines);
    }

    private static string Key(JsonElement l) =>
        $"{l.GetProperty("org_id").GetString()}|{l.GetProperty("license_id").GetString() ?? "-"}|{l.GetProperty("source").GetString()}";

    [Fact]
    public async Task Pages_of_lines_cover_the_month_once_in_key_order_with_its_totals_and_a_cursor_goes_on_after_the_close()
    {
        var key = await Operators.NewKeyAsync(f, "ops-pages");
        var month = Back(27);
        var orgs = new List<TestOrg>();
        long runs = 0;
        for (int i = 0; i < 3; i++)
        {
            var org = await f.NewOrgAsync();
            orgs.Add(org);
            // The org's license, and a second license: two lines per org.
            var (second, _) = await f.Services.GetRequiredService<Storage.Stores.CredentialStore>().CreateLicenseAsync(org.OrgId, "growth", null, ["agent_deployments", "traces"]);
            await Operators.SubmitAsync(f, org.LicenseKey, At(month, 3 + i, 10), At(month, 3 + i, 11), 10 + i, org.WorkspaceA, "p");
            await Operators.SubmitAsync(f, second, At(month, 7, 10), At(month, 7, 12), 100 * (i + 1), org.WorkspaceB, "q");
            runs += 10 + i + 100 * (i + 1);
            await f.RollupAsync(org.OrgId);
        }

        var whole = await PageAsync(key, month, "limit=1000");
        var all = whole.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(JsonValueKind.Null, whole.GetProperty("next_cursor").ValueKind);
        Assert.Equal(6, all.Count);
        Assert.Equal(all.Select(Key).Order(StringComparer.Ordinal), all.Select(Key));
        Assert.Equal(6, whole.GetProperty("totals").GetProperty("lines").GetInt32());
        Assert.Equal(runs, whole.GetProperty("totals").GetProperty("agent_runs").GetInt64());
        Assert.Equal(runs, all.Sum(l => l.GetProperty("agent_runs").GetInt64()));

        // Two lines a page: three pages, every line once, in the same order, and each page carries the month's totals.
        var (pages, paged) = await AllPagesAsync(key, month, "", 2);
        Assert.Equal(3, pages);
        Assert.Equal(all.Select(Key), paged.Select(Key));
        Assert.Equal(runs, (await PageAsync(key, month, "limit=1")).GetProperty("totals").GetProperty("agent_runs").GetInt64());

        // One org: its lines, its totals.
        var one = orgs[1];
        var (_, mine) = await AllPagesAsync(key, month, $"org_id={one.OrgId}", 1);
        Assert.Equal(all.Where(l => l.GetProperty("org_id").GetString() == one.OrgId).Select(Key), mine.Select(Key));
        var own = await PageAsync(key, month, $"org_id={one.OrgId}&limit=1");
        Assert.Equal((2, 11L + 200), (own.GetProperty("totals").GetProperty("lines").GetInt32(), own.GetProperty("totals").GetProperty("agent_runs").GetInt64()));

        // A cursor taken while the month is open goes on after the close, in the frozen lines.
        var first = await PageAsync(key, month, "limit=4");
        var cursor = first.GetProperty("next_cursor").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/statements/{month}/close", key)).StatusCode);
        var rest = await PageAsync(key, month, "limit=4&cursor=" + Uri.EscapeDataString(cursor));
        Assert.Equal("closed", rest.GetProperty("state").GetString());
        Assert.Equal(all.Select(Key), first.GetProperty("lines").EnumerateArray().Concat(rest.GetProperty("lines").EnumerateArray()).Select(Key));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next_cursor").ValueKind);
        Assert.Equal(runs, rest.GetProperty("totals").GetProperty("agent_runs").GetInt64());
        Assert.Equal(6, rest.GetProperty("totals").GetProperty("lines").GetInt32());
        var (_, closed) = await AllPagesAsync(key, month, "", 5);
        Assert.Equal(all.Select(l => l.GetProperty("agent_runs").GetInt64()), closed.Select(l => l.GetProperty("agent_runs").GetInt64()));
        Assert.All(closed, l => Assert.Equal(month.EndDay.AddDays(-1).ToString("yyyy-MM-dd"), l.GetProperty("through").GetString()));

        foreach (var bad in new[] { "cursor=not-a-cursor", "limit=0", "limit=1001", "org_id=acme", "cursor=" + new Domain.Fleet.PageCursor("silent", "x").Encode() })
            Assert.Equal(HttpStatusCode.BadRequest, (await Operators.SendAsync(f.Http, HttpMethod.Get, $"/api/v1/operator/statements?month={month}&{bad}", key)).StatusCode);
    }

    [Fact]
    public async Task An_open_months_lines_count_the_days_that_are_over_and_late_usage_from_the_next_run_equal_to_the_usage_api()
    {
        var key = await Operators.NewKeyAsync(f, "ops-through");
        var month = Back(28);
        var org = await f.NewOrgAsync();
        try
        {
            f.Clock.Freeze(At(month, 10, 12));
            await Operators.SubmitAsync(f, org.LicenseKey, At(month, 3, 9), At(month, 3, 10), 7, org.WorkspaceA, "p");
            await Operators.SubmitAsync(f, org.LicenseKey, At(month, 9, 9), At(month, 9, 10), 20, org.WorkspaceA, "p");
            await Operators.SubmitAsync(f, org.LicenseKey, At(month, 10, 9), At(month, 10, 10), 300, org.WorkspaceA, "p");

            // The 10th is not over: the line counts through the 9th, as the usage API does over those days.
            await f.RollupAsync(org.OrgId);
            await AssertLineAsync(9, 27);

            // The next day: the 10th is counted.
            f.Clock.Freeze(At(month, 11, 0).AddMinutes(30));
            await f.RollupAsync(org.OrgId);
            await AssertLineAsync(10, 327);

            // Late usage for the 5th: counted by the next run, not before.
            await Operators.SubmitAsync(f, org.LicenseKey, At(month, 5, 9), At(month, 5, 10), 4000, org.WorkspaceA, "p");
            await AssertLineAsync(10, 327, compareWithApi: false);
            await f.RollupAsync(org.OrgId);
            await AssertLineAsync(10, 4327);
        }
        finally
        {
            f.Clock.Reset();
        }

        async Task AssertLineAsync(int throughDay, long expectedRuns, bool compareWithApi = true)
        {
            var line = Assert.Single((await PageAsync(key, month, $"org_id={org.OrgId}")).GetProperty("lines").EnumerateArray());
            Assert.Equal(month.FirstDay.AddDays(throughDay - 1).ToString("yyyy-MM-dd"), line.GetProperty("through").GetString());
            Assert.Equal(expectedRuns, line.GetProperty("agent_runs").GetInt64());
            if (!compareWithApi) return;
            var query = UsageClient.QueryString("langsmith_deployments", "license", null, UsageModel.Iso(At(month, 1, 0)), UsageModel.Iso(At(month, throughDay + 1, 0)), [org.WorkspaceA]);
            var (_, rows) = await UsageClient.QueryAsync(f.Http, org.ApiKey, query, "license");
            Assert.Equal(rows.Sum(r => r.Runs), line.GetProperty("agent_runs").GetInt64());
            Assert.Equal(rows.Sum(r => r.Uptime), line.GetProperty("agent_uptime_seconds").GetInt64());
            Assert.Equal(rows.Sum(r => r.Standby), line.GetProperty("standby_minutes").GetInt64());
        }
    }
}
