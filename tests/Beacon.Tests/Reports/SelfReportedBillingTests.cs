using System.Globalization;
using System.Net;
using System.Text.Json;
using Beacon.Domain.Quotas;
using Beacon.Domain.Statements;
using Beacon.Storage.Stores;
using Beacon.Tests.Statements;
using Beacon.Tests.Vendor;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Reports;

/// <summary>
/// Self-reported usage where it is billed (SPEC §17): its own statement line beside the license's metered one,
/// standby minutes derived from uptime, late-usage adjustments for a closed month, and quotas.
/// </summary>
[Collection(ReportsCollection.Name)]
public sealed class SelfReportedBillingTests(NoFleetWriterFixture f)
{
    private const string Header = "Time Bucket Start,Time Bucket End,Workspace ID,Workspace Name,Project ID,Project Name,User ID,User Email,API Key Short Key,Nodes Executed,Agent Runs,Agent Uptime (seconds)";

    /// <summary>A deployments file grouped by project: (day, project, nodes, runs, uptime seconds) per row.</summary>
    internal static byte[] File(params (DateOnly Day, string Project, long Nodes, long Runs, long Uptime)[] rows) =>
        ReportClient.Bytes(Header + "\r\n" + string.Concat(rows.Select(r =>
            $"{ReportClient.Iso(r.Day)},{ReportClient.Iso(r.Day.AddDays(1))},,,{r.Project},,,,,{r.Nodes},{r.Runs},{r.Uptime}\r\n")));

    private static List<JsonElement> LinesOf(JsonElement statement, string orgId) =>
        [.. statement.GetProperty("lines").EnumerateArray().Where(l => l.GetProperty("org_id").GetString() == orgId)];

    [Fact]
    public async Task A_self_reported_line_sits_beside_the_metered_one_with_derived_standby_and_late_reports_for_a_closed_month_become_adjustments()
    {
        var key = await Operators.NewKeyAsync(f);
        var month = StatementDataset.MonthsBack(f, 3);
        var org = await f.NewOrgAsync("Half Connected Co");
        var day = month.FirstDay.AddDays(2);
        var metered = new DateTimeOffset(month.FirstDay.AddDays(1).ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
        await Operators.SubmitAsync(f, org.LicenseKey, metered, metered.AddHours(1), 5, org.WorkspaceA, "p-m");

        // 3,601 s → 61 minutes; 100,000 s (replicas) → the day's 1,440 at most; 59 s → 1 minute.
        await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, org.LicenseId,
            File((day, "p-1", 30, 10, 3601), (day, "p-2", 2, 1, 100_000), (day.AddDays(1), "p-1", 8, 4, 59))));

        await f.RollupAsync(org.OrgId);
        var lines = LinesOf(await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={month}&org_id={org.OrgId}", key), org.OrgId);
        Assert.Equal([("metered", false), ("self_reported", true)], lines.Select(l => (l.GetProperty("source").GetString(), l.GetProperty("standby_derived").GetBoolean())));
        Assert.All(lines, l => Assert.Equal(org.LicenseId, l.GetProperty("license_id").GetString()));
        var self = lines[1];
        Assert.Equal(15, self.GetProperty("agent_runs").GetInt64());
        Assert.Equal(40, self.GetProperty("nodes_executed").GetInt64());
        Assert.Equal(103_660, self.GetProperty("agent_uptime_seconds").GetInt64());
        Assert.Equal(61 + 1440 + 1, self.GetProperty("standby_minutes").GetInt64());
        Assert.Equal(0, self.GetProperty("traces_shortlived").GetInt64());
        Assert.Equal(5, lines[0].GetProperty("agent_runs").GetInt64());
        Assert.Equal(60, lines[0].GetProperty("standby_minutes").GetInt64());

        var closed = await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/statements/{month}/close", key);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);

        // A corrected day of the closed month: the difference lands on the first open month, on the self-reported line.
        await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, org.LicenseId, File((day.AddDays(1), "p-1", 8, 11, 120))));
        var frozen = LinesOf(await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={month}&org_id={org.OrgId}", key), org.OrgId);
        Assert.Equal(15, frozen[1].GetProperty("agent_runs").GetInt64());
        var next = Month.Of(month.EndDay);
        var adjustments = (await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={next}", key)).GetProperty("adjustments").EnumerateArray()
            .Where(a => a.GetProperty("org_id").GetString() == org.OrgId).ToList();
        Assert.Equal([("agent_runs", 7L), ("agent_uptime_seconds", 61L), ("standby_minutes", 1L)],
            adjustments.Select(a => (a.GetProperty("metric").GetString()!, long.Parse(a.GetProperty("delta").ToString(), CultureInfo.InvariantCulture))).Order());
        Assert.All(adjustments, a =>
        {
            Assert.Equal("self_reported", a.GetProperty("source").GetString());
            Assert.Equal(org.LicenseId, a.GetProperty("license_id").GetString());
            Assert.Equal(month.ToString(), a.GetProperty("for_month").GetString());
            Assert.Equal("late usage", a.GetProperty("reason").GetString());
        });
    }

    [Fact]
    public async Task Self_reported_usage_counts_towards_the_licenses_quotas()
    {
        var key = await Operators.NewKeyAsync(f);
        var org = await f.NewOrgAsync();
        var (_, license) = await f.Services.GetRequiredService<CredentialStore>().CreateLicenseAsync(org.OrgId, "enterprise", null, ["lgp"], [new Quota("agent_runs", 100)]);
        var today = DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime);
        await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, license.LicenseId, File((today, "p-1", 0, 85, 0))));
        var quota = Assert.Single((await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/licenses/{license.LicenseId}", key)).GetProperty("quotas").EnumerateArray());
        Assert.Equal(85, quota.GetProperty("used").GetInt64());
        Assert.Equal("warning", quota.GetProperty("state").GetString());
    }
}
