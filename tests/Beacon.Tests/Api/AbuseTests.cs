using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Beacon.Domain.Credentials;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;
using Beacon.Tests.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Api;

/// <summary>
/// What one licensee (or a stranger) can do to Beacon with well-formed requests (SPEC §9): implausible
/// counts and times, reusing another org's workspace id, guessing keys, JSON that cannot be text.
/// </summary>
[Collection(BeaconCollection.Name)]
public sealed class AbuseTests(NoFleetWriterFixture f)
{
    private static readonly DateTimeOffset Nine = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private Task<HttpResponseMessage> Submit(string body) => f.PostJsonAsync("/v1/metadata/submit", body);

    private async Task<List<string>> RefusedFieldsAsync(TestOrg org, HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await f.StoredUsageCountAsync(org.OrgId));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()!)];
    }

    [Fact]
    public async Task Counts_above_a_trillion_are_unprocessable_and_a_trillion_is_accepted()
    {
        var org = await f.NewOrgAsync();
        Assert.Equal(["measures.langgraph.platform.runs"],
            await RefusedFieldsAsync(org, await Submit(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), Plausibility.MaxCount + 1, 0, org.WorkspaceA))));
        Assert.Equal(["measures.langgraph.platform.nodes"],
            await RefusedFieldsAsync(org, await Submit(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 0, long.MaxValue, org.WorkspaceA))));
        var trace = Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "p", Plausibility.MaxCount + 1, Nine);
        Assert.Equal(["trace_transactions[0].trace_count"],
            await RefusedFieldsAsync(org, await f.PostJsonAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, [trace]))));

        Assert.Equal(HttpStatusCode.NoContent, (await Submit(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), Plausibility.MaxCount, Plausibility.MaxCount, org.WorkspaceA))).StatusCode);
    }

    [Fact]
    public async Task Times_before_2020_or_more_than_a_day_ahead_are_unprocessable()
    {
        var org = await f.NewOrgAsync();
        var now = f.Clock.GetUtcNow();
        var old = new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(["from_timestamp"], await RefusedFieldsAsync(org, await Submit(Payloads.Window(org.LicenseKey, null, new DateTimeOffset(2019, 12, 31, 23, 55, 0, TimeSpan.Zero), new DateTimeOffset(2020, 1, 1, 0, 5, 0, TimeSpan.Zero), 1, 1, org.WorkspaceA))));
        Assert.Equal(["to_timestamp"], await RefusedFieldsAsync(org, await Submit(Payloads.Window(org.LicenseKey, null, now, now.AddHours(25), 1, 1, org.WorkspaceA))));

        var ancient = (Dictionary<string, object?>)Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "p", 1, old);
        var future = (Dictionary<string, object?>)Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "p", 1, now.AddDays(2));
        var inverted = (Dictionary<string, object?>)Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "p", 1, Nine);
        inverted["end_interval_time"] = Payloads.PythonIso(Nine.AddSeconds(-1));
        Assert.Equal(["trace_transactions[0].start_interval_time", "trace_transactions[1].start_interval_time", "trace_transactions[2].end_interval_time"],
            await RefusedFieldsAsync(org, await f.PostJsonAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, [ancient, future, inverted]))));

        // A client whose clock runs a little ahead is still counted.
        Assert.Equal(HttpStatusCode.NoContent, (await Submit(Payloads.Window(org.LicenseKey, null, now.AddHours(23), now.AddHours(23).AddMinutes(5), 1, 1, org.WorkspaceA))).StatusCode);
    }

    [Fact]
    public async Task Two_orgs_may_report_the_same_workspace_id_and_each_sees_only_its_own_usage()
    {
        var first = await f.NewOrgAsync();
        var second = await f.NewOrgAsync("Squatter Inc");
        var shared = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.NoContent, (await Submit(Payloads.Window(first.LicenseKey, null, Nine, Nine.AddMinutes(5), 7, 70, shared, "p1"))).StatusCode);
        // The second org reports into the same id (squatting, or a coincidence): accepted, and harmless.
        Assert.Equal(HttpStatusCode.NoContent, (await Submit(Payloads.Window(second.LicenseKey, null, Nine, Nine.AddMinutes(5), 1000, 1, shared, "p1"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Submit(Payloads.Window(first.LicenseKey, null, Nine.AddMinutes(5), Nine.AddMinutes(10), 3, 30, shared, "p1"))).StatusCode);

        // Org-wide keys: they read every workspace of their own org.
        var credentials = f.Services.GetRequiredService<CredentialStore>();
        var firstKey = (await credentials.CreateApiKeyAsync(first.OrgId, null, [ApiKeyRecord.OrganizationRead], null)).ApiKey;
        var secondKey = (await credentials.CreateApiKeyAsync(second.OrgId, null, [ApiKeyRecord.OrganizationRead], null)).ApiKey;
        var range = (Start: "2026-03-10T00:00:00Z", End: "2026-03-11T00:00:00Z");
        var (_, firstRows) = await UsageClient.QueryAsync(f.Http, firstKey, UsageClient.QueryString("langsmith_deployments", "workspace", null, range.Start, range.End, [shared]), "workspace");
        var (_, secondRows) = await UsageClient.QueryAsync(f.Http, secondKey, UsageClient.QueryString("langsmith_deployments", "workspace", null, range.Start, range.End, [shared]), "workspace");
        Assert.Equal(10, firstRows.Sum(r => r.Runs));
        Assert.Equal(1000, secondRows.Sum(r => r.Runs));

        // Each org lists the workspace as its own, without the other's name.
        foreach (var key in new[] { firstKey, secondKey })
        {
            var list = await (await UsageClient.GetAsync(f.Http, "/api/v1/workspaces", key)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains(list.EnumerateArray(), w => w.GetProperty("id").GetString() == shared);
        }
    }

    [Fact]
    public async Task A_later_copy_with_lower_counts_is_acknowledged_ignored_and_counted_per_license()
    {
        var org = await f.NewOrgAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await Submit(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 10, 100, org.WorkspaceA, "p"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Submit(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(10), 3, 100, org.WorkspaceA, "p"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Submit(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(15), 12, 99, org.WorkspaceA, "p"))).StatusCode);
        // An honest merge (both counts up) still supersedes.
        Assert.Equal(HttpStatusCode.NoContent, (await Submit(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(20), 12, 120, org.WorkspaceA, "p"))).StatusCode);

        var windows = f.Services.GetRequiredService<WindowStore>();
        var stored = await windows.GetAsync(org.OrgId, org.WorkspaceA, "p", Beacon.Domain.Time.Timestamps.FromDateTimeOffset(Nine));
        Assert.Equal(12, stored!.GetInt64("runs"));
        Assert.Equal(120, stored.GetInt64("nodes"));
        var today = DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal(2, await windows.CountLowerCountSupersedesAsync(Reporter.ForLicense(org.LicenseId), today, today));
    }

    [Fact]
    public async Task A_refused_trace_batch_registers_none_of_its_workspaces()
    {
        var org = await f.NewOrgAsync();
        var fresh = Guid.NewGuid().ToString();
        var good = Payloads.Transaction(Guid.NewGuid().ToString(), fresh, "p", 1, Nine);
        var bad = Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "p", 1, new DateTimeOffset(1999, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await f.PostJsonAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, [good, bad]))).StatusCode);
        var list = await (await UsageClient.GetAsync(f.Http, "/api/v1/workspaces", org.ApiKey)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain(list.EnumerateArray(), w => w.GetProperty("id").GetString() == fresh);
    }

    [Fact]
    public async Task Many_new_projects_in_one_batch_are_recorded_in_a_few_batched_writes()
    {
        var org = await f.NewOrgAsync();
        var transactions = Enumerable.Range(0, 300).Select(i => Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, $"project-{i}", 1, Nine)).ToList();
        var before = f.ForegroundStorage().Writes;
        Assert.Equal(HttpStatusCode.OK, (await f.PostJsonAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, transactions))).StatusCode);
        // 300 projects in 3 directory batches plus the trace claims, rows and a dirty mark; before, one insert per project.
        Assert.InRange(f.ForegroundStorage().Writes - before, 1, 40);
        var names = await f.Services.GetRequiredService<DirectoryStore>().ListProjectsAsync(org.OrgId);
        Assert.Equal(300, names.Count(p => p.ProjectId.StartsWith("project-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Failed_authentications_are_limited_per_client_address_before_any_lookup()
    {
        var org = await f.NewOrgAsync();
        var (app, http) = await f.StartAppAsync(new Dictionary<string, string> { ["Beacon:FailedAuthBurst"] = "5", ["Beacon:FailedAuthPerMinute"] = "1" });
        await using var stopped = app; // its background loops stop with the test
        async Task<HttpResponseMessage> Verify(string key, string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/beacon/verify") { Content = JsonContent.Create(new { license = key }) };
            request.Headers.Add("X-Forwarded-For", address);
            return await http.SendAsync(request);
        }

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 8; i++) statuses.Add((await Verify(Secrets.NewLicenseKey(), "203.0.113.7")).StatusCode);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)), statuses);
        var limited = await Verify(org.LicenseKey, "203.0.113.7");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        // Another address is unaffected.
        Assert.Equal(HttpStatusCode.OK, (await Verify(org.LicenseKey, "198.51.100.9")).StatusCode);
    }

    [Fact]
    public async Task Keys_that_cannot_be_ours_are_refused_without_a_storage_read()
    {
        long Requests() => f.ForegroundStorage().Requests;
        var before = Requests();
        foreach (var key in new[] { "lcl_short", "lcl_" + new string('!', 40), "bcn_ak_" + new string('a', 39), "x" + new string('a', 150) })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await f.PostAsync("/v1/beacon/verify", new { license = key })).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await UsageClient.GetAsync(f.Http, "/api/v1/orgs/current", key)).StatusCode);
        }
        Assert.Equal(before, Requests());
    }

    [Theory]
    [InlineData("\"\\ud800\"")]
    [InlineData("\"\\udc00x\"")]
    public async Task A_lone_surrogate_escape_is_a_bad_request_not_a_server_error(string tenant)
    {
        var org = await f.NewOrgAsync();
        var body = Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 1, 1, org.WorkspaceA, "p")
            .Replace("\"langgraph.platform.project_id\":\"p\"", "\"langgraph.platform.project_id\":" + tenant, StringComparison.Ordinal);
        Assert.Contains(tenant, body, StringComparison.Ordinal);
        var response = await Submit(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await f.StoredUsageCountAsync(org.OrgId));

        var trace = Payloads.Traces(org.LicenseKey, [Payloads.Transaction("x", org.WorkspaceA, "p", 1, Nine)]).Replace("\"id\":\"x\"", "\"id\":" + tenant, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await f.PostJsonAsync("/v1/beacon/ingest-traces", trace)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await f.Http.PostAsync("/v1/beacon/verify", new StringContent("{\"license\":" + tenant + "}", Encoding.UTF8, "application/json"))).StatusCode);
    }
}
