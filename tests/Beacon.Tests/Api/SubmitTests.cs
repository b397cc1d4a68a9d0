using System.Net;
using Beacon.Domain.Time;
using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Api;

[Collection(BeaconCollection.Name)]
public sealed class SubmitTests(NoFleetWriterFixture f)
{
    private static readonly DateTimeOffset Nine = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private WindowStore Windows => f.Services.GetRequiredService<WindowStore>();

    /// <summary>The org's daily deployment usage of workspace A through the granular usage API.</summary>
    private async Task<List<Usage.UsageModel.Row>> DaysAsync(TestOrg org, DateTimeOffset start, DateTimeOffset end) =>
        (await Usage.UsageClient.QueryAsync(f.Http, org.ApiKey, Usage.UsageClient.QueryString("langsmith_deployments", "workspace", null,
            Usage.UsageModel.Iso(start), Usage.UsageModel.Iso(end), [org.WorkspaceA]), "workspace")).Rows;

    private async Task<Azure.Data.Tables.TableEntity?> StoredAsync(TestOrg org, DateTimeOffset from, string ws, string project = "") =>
        await Windows.GetAsync(org.OrgId, ws, project, Timestamps.FromDateTimeOffset(from));

    [Fact]
    public async Task A_window_in_the_real_clients_format_is_stored_with_microsecond_precision()
    {
        var org = await f.NewOrgAsync();
        var from = Nine.AddTicks(1234560); // .123456
        var project = Guid.NewGuid().ToString();
        var response = await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, from, from.AddMinutes(5), 150, 450, org.WorkspaceA, project));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
        var stored = await StoredAsync(org, from, org.WorkspaceA, project);
        Assert.NotNull(stored);
        Assert.Equal(Timestamps.FromDateTimeOffset(from), stored.GetInt64("from_us"));
        Assert.Equal(150, stored.GetInt64("runs"));
        Assert.Equal(450, stored.GetInt64("nodes"));
        Assert.Equal("license:" + org.LicenseId, stored.GetString("credential"));
        Assert.Equal("self-hosted", stored.GetString("host_kind"));
    }

    [Fact]
    public async Task A_retry_with_the_same_start_replaces_the_window_and_a_late_stale_copy_changes_nothing()
    {
        var org = await f.NewOrgAsync();
        var first = Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 10, 30, org.WorkspaceA);
        // The client's POST failed: it merges the counts into the next window and resends the same from_timestamp.
        var merged = Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(10), 10 + 7, 30 + 21, org.WorkspaceA);

        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/metadata/submit", first)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/metadata/submit", merged)).StatusCode);
        var afterMerge = await StoredAsync(org, Nine, org.WorkspaceA);
        // The first POST "failed" on the client side but was stored: it arrives again, late.
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/metadata/submit", first)).StatusCode);
        var afterStale = await StoredAsync(org, Nine, org.WorkspaceA);

        Assert.Equal((17L, 51L), (afterMerge!.GetInt64("runs"), afterMerge.GetInt64("nodes")));
        Assert.Equal((17L, 51L), (afterStale!.GetInt64("runs"), afterStale.GetInt64("nodes")));
        Assert.Equal(Timestamps.FromDateTimeOffset(Nine.AddMinutes(10)), afterStale.GetInt64("to_us"));
        Assert.Single(await f.RawAsync(f.Tables.UsageWindows, org.OrgId));
    }

    [Fact]
    public async Task Concurrent_submissions_of_one_key_end_in_the_newest_never_a_mix()
    {
        var org = await f.NewOrgAsync();
        var bodies = Enumerable.Range(1, 24)
            .Select(i => Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5 * i), i, 100 * i, org.WorkspaceA))
            .OrderBy(_ => Random.Shared.Next())
            .ToList();

        var responses = await Task.WhenAll(bodies.Select(b => f.PostJsonAsync("/v1/metadata/submit", b)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        var stored = await StoredAsync(org, Nine, org.WorkspaceA);
        Assert.Equal(Timestamps.FromDateTimeOffset(Nine.AddMinutes(120)), stored!.GetInt64("to_us"));
        Assert.Equal((24L, 2400L), (stored.GetInt64("runs"), stored.GetInt64("nodes")));
        var rows = await DaysAsync(org, Nine, Nine.AddDays(1));
        Assert.Equal((24L, 2400L, 7200L, 120L), (rows.Sum(d => d.Runs), rows.Sum(d => d.Nodes), rows.Sum(d => d.Uptime), rows.Sum(d => d.Standby)));
    }

    [Fact]
    public async Task A_36_hour_window_is_split_over_its_three_utc_days_exactly()
    {
        var org = await f.NewOrgAsync();
        var from = new DateTimeOffset(2026, 3, 10, 18, 0, 0, TimeSpan.Zero);
        var response = await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, from, from.AddHours(36), 10, 7, org.WorkspaceA));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var days = await DaysAsync(org, from, from.AddDays(3));
        Assert.Equal([new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 11), new DateOnly(2026, 3, 12)], days.Select(d => DateOnly.FromDateTime(d.Bucket.UtcDateTime)));
        Assert.Equal([2L, 7L, 1L], days.Select(d => d.Runs));
        Assert.Equal([1L, 5L, 1L], days.Select(d => d.Nodes));
        Assert.Equal([21_600L, 86_400L, 21_600L], days.Select(d => d.Uptime));
        Assert.Equal([360L, 1440L, 360L], days.Select(d => d.Standby));
        // Reads of the later days find it through its span pointer.
        var spans = await f.RawAsync(f.Tables.WindowSpans, org.OrgId);
        Assert.Equal("20260312|20260310", string.Join('|', Assert.Single(spans).RowKey.Split('|').Take(2)));
    }

    [Fact]
    public async Task Any_iso_8601_offset_is_accepted_and_converted_to_utc()
    {
        var org = await f.NewOrgAsync();
        var body = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["license"] = org.LicenseKey,
            ["from_timestamp"] = "2026-03-10T11:00:00+02:00",
            ["to_timestamp"] = "2026-03-10T09:05:00.1234567Z",
            ["tags"] = new Dictionary<string, string> { ["langgraph.platform.tenant_id"] = org.WorkspaceA },
            ["measures"] = new Dictionary<string, long> { ["langgraph.platform.runs"] = 1 },
        });

        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/metadata/submit", body)).StatusCode);
        var stored = await StoredAsync(org, Nine, org.WorkspaceA);
        Assert.NotNull(stored);
        Assert.Equal(Timestamps.FromDateTimeOffset(Nine.AddMinutes(5)) + 123_456, stored.GetInt64("to_us"));
        Assert.Equal((1L, 0L), (stored.GetInt64("runs"), stored.GetInt64("nodes")));
    }

    [Fact]
    public async Task An_api_key_reporter_is_recorded_with_its_user_and_short_key_and_body_org_ids_are_ignored()
    {
        var org = await f.NewOrgAsync();
        var other = await f.NewOrgAsync();
        var body = Payloads.Window(null, org.ApiKey, Nine, Nine.AddMinutes(5), 3, 4, org.WorkspaceB,
            extra: new() { ["org_id"] = other.OrgId, ["unknown_field"] = new[] { 1, 2 } });

        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/metadata/submit", body)).StatusCode);
        var stored = await StoredAsync(org, Nine, org.WorkspaceB);
        Assert.Equal(org.UserId, stored!.GetString("user_id"));
        Assert.Equal(org.ApiKeyRecord.ShortKey, stored.GetString("api_key_short_key"));
        Assert.Equal(0, await f.StoredUsageCountAsync(other.OrgId));
    }

    [Fact]
    public async Task The_api_key_may_also_come_in_the_x_api_key_header()
    {
        var org = await f.NewOrgAsync();
        var body = Payloads.Window(null, null, Nine, Nine.AddMinutes(5), 1, 2, org.WorkspaceA);
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/metadata/submit", body, apiKey: org.ApiKey)).StatusCode);
        Assert.NotNull(await StoredAsync(org, Nine, org.WorkspaceA));
    }

    [Fact]
    public async Task Usage_without_a_workspace_is_recorded_under_the_org()
    {
        var org = await f.NewOrgAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 5, 6))).StatusCode);
        var stored = await StoredAsync(org, Nine, "");
        Assert.Equal(("", ""), (stored!.GetString("workspace_id"), stored.GetString("project_id")));
    }

    [Fact]
    public async Task Unknown_workspaces_and_projects_are_registered_to_the_reporting_org()
    {
        var org = await f.NewOrgAsync();
        var ws = Guid.NewGuid().ToString();
        var project = "my project #1";

        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 1, 1, ws.ToUpperInvariant(), project))).StatusCode);

        var directory = f.Services.GetRequiredService<DirectoryStore>();
        Assert.Contains(await directory.ListWorkspacesAsync(org.OrgId), w => w.WorkspaceId == ws && w.Name == "");
        Assert.Contains(await directory.ListProjectsAsync(org.OrgId), p => p.ProjectId == project && p.Name == "");
        Assert.NotNull(await StoredAsync(org, Nine, ws, project));
    }

    [Fact]
    public async Task Late_data_for_a_closed_day_marks_the_day_dirty_and_todays_data_does_not()
    {
        var org = await f.NewOrgAsync();
        var now = f.Clock.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);

        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, today, today.AddSeconds(1), 1, 1, org.WorkspaceA));
        Assert.Empty(await f.RawAsync(f.Tables.DirtyDays, org.OrgId));
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, today.AddDays(-3), today.AddDays(-3).AddMinutes(5), 1, 1, org.WorkspaceA));

        var mark = Assert.Single(await f.RawAsync(f.Tables.DirtyDays, org.OrgId));
        var day = Timestamps.DayKey(DateOnly.FromDateTime(today.AddDays(-3).UtcDateTime));
        Assert.Equal($"{day}|{day}", mark.RowKey);
    }

    [Fact]
    public async Task A_new_window_inside_one_day_costs_one_storage_write_once_the_caller_is_known()
    {
        var org = await f.NewOrgAsync();
        var project = Guid.NewGuid().ToString();
        var today = new DateTimeOffset(f.Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        // Warm-up: the credential, workspace and project are looked up and remembered.
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, today, today.AddMinutes(1), 1, 1, org.WorkspaceA, project));

        // The fleet view and its index are written in the background (at most once a minute per deployment, and the
        // silence sweep), not by the request.
        (long Requests, long Writes) Counts() => f.ForegroundStorage();
        var before = Counts();
        var response = await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, today.AddMinutes(1), today.AddMinutes(2), 1, 1, org.WorkspaceA, project));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal((1L, 1L), (Counts().Requests - before.Requests, Counts().Writes - before.Writes));
    }
}
