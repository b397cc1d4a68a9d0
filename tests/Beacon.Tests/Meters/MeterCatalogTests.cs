using System.Net;
using System.Text.Json;
using Beacon.Domain.Meters;
using Beacon.Domain.Quotas;
using Beacon.Domain.Statements;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;
using Beacon.Tests.Statements;
using Beacon.Tests.Usage;
using Beacon.Tests.Vendor;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Meters;

/// <summary>The meter catalog is the one list everything reads (SPEC §14): served as data, and a new entry shows everywhere.</summary>
[Collection(CalendarCollection.Name)]
public sealed class MeterCatalogTests(NoFleetWriterFixture f)
{
    [Fact]
    public async Task The_catalog_is_served_as_data_with_where_each_meter_shows()
    {
        var response = await f.Http.GetAsync("/api/v1/meters");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var meters = body.GetProperty("meters").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal(Totals.Meters, meters.Keys);
        Assert.Equal(("minutes", "distinct_minute_slots", "langsmith_deployments", "standby_minutes"),
            (meters["standby_minutes"].GetProperty("unit").GetString(), meters["standby_minutes"].GetProperty("aggregation").GetString(),
             meters["standby_minutes"].GetProperty("kind").GetString(), meters["standby_minutes"].GetProperty("quota_metric").GetString()));
        Assert.Equal("traces", meters["traces_shortlived"].GetProperty("quota_metric").GetString());
        var deployments = body.GetProperty("granular_fields").GetProperty("langsmith_deployments").EnumerateArray().ToList();
        Assert.Equal(["nodes_executed", "agent_runs", "agent_uptime_seconds", "standby_minutes"], deployments.Select(d => d.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, deployments[3].GetProperty("csv_column").ValueKind);
        Assert.Equal("agent_uptime_seconds", deployments[3].GetProperty("note_on").GetString());
        Assert.Equal(["agent_runs", "nodes_executed", "agent_uptime_seconds", "standby_minutes", "traces"],
            body.GetProperty("quota_metrics").EnumerateArray().Select(q => q.GetString()));
    }

    [Fact]
    public async Task A_meter_added_to_the_catalog_alone_shows_in_the_api_the_statement_and_the_quota()
    {
        // A throw-away meter of an existing aggregation, known only to this app's catalog: no other file knows it.
        var catalog = MeterCatalog.Default.With(new Meter("runs_for_review", "runs", "Runs (review)", Aggregation.ApportionedSum)
        {
            Measure = UsageReport.RunsMeasure,
            Granular = new GranularField("runs_for_review", 9),
        });
        var (app, http) = await f.StartAppAsync(services: s => s.AddSingleton(catalog));
        await using var _ = app;

        var org = await f.NewOrgAsync();
        var (licenseKey, license) = await f.Services.GetRequiredService<CredentialStore>().CreateLicenseAsync(org.OrgId, "enterprise", null, [], [new Quota("runs_for_review", 40)]);
        // The quota reads the current month: the clock stands in a month of this test's own.
        var month = StatementDataset.MonthsBack(f, 8);
        var from = new DateTimeOffset(month.FirstDay.AddDays(14).ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
        f.Clock.Freeze(from.AddHours(2));
        try
        {
            var response = await http.PostAsync("/v1/metadata/submit", new StringContent(Payloads.Window(licenseKey, null, from, from.AddMinutes(30), 33, 99, org.WorkspaceA), System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

            var query = UsageClient.QueryString("langsmith_deployments", "workspace", null, UsageModel.Iso(from), UsageModel.Iso(from.AddDays(1)), [org.WorkspaceA]);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/orgs/current/billing/granular-usage?" + query);
            request.Headers.Add("X-Api-Key", org.ApiKey);
            var record = JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync()).RootElement.GetProperty("usage")[0];
            Assert.Equal(33, record.GetProperty("runs_for_review").GetInt64());
            Assert.Equal(33, record.GetProperty("agent_runs").GetInt64());

            // The statement's open lines count the days that are over, as the rollup of this app (its catalog) keeps them.
            f.Clock.Freeze(from.AddDays(1));
            await f.RollupAsync(org.OrgId, app.Services);
            var key = await Operators.NewKeyAsync(f, "ops-catalog");
            var statement = await Operators.GetJsonAsync(http, $"/api/v1/operator/statements?month={month}&org_id={org.OrgId}", key);
            var line = statement.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("license_id").GetString() == license.LicenseId);
            Assert.Equal(33, line.GetProperty("runs_for_review").GetInt64());
            var quota = (await Operators.GetJsonAsync(http, $"/api/v1/operator/licenses?org_id={org.OrgId}", key)).GetProperty("licenses").EnumerateArray()
                .Single(l => l.GetProperty("license_id").GetString() == license.LicenseId).GetProperty("quotas").EnumerateArray().Single();
            Assert.Equal(("runs_for_review", 33L, "warning"), (quota.GetProperty("metric").GetString(), quota.GetProperty("used").GetInt64(), quota.GetProperty("state").GetString()));

            // The main app's catalog does not have it: its answers and statements are unchanged.
            var main = (await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={month}", key)).GetProperty("lines").EnumerateArray()
                .Single(l => l.GetProperty("license_id").GetString() == license.LicenseId);
            Assert.False(main.TryGetProperty("runs_for_review", out JsonElement _));
        }
        finally
        {
            f.Clock.Reset();
        }
    }
}
