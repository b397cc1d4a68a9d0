using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Beacon.Domain.Quotas;
using Beacon.Domain.Statements;
using Beacon.Storage.Rollups;
using Beacon.Storage.Stores;
using Beacon.Tests.Statements;
using Beacon.Tests.Usage;
using Beacon.Tests.Vendor;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Meters;

/// <summary>
/// Standby minutes (SPEC §14) through the real HTTP stack on Azurite: what the invoice bills for replicas,
/// the real client's timestamps, groupings that split a deployment, the sticky license, a changed default
/// workspace, and data stored before the meter existed.
/// </summary>
[Collection(CalendarCollection.Name)]
public sealed class StandbyMinutesTests(NoFleetWriterFixture f)
{
    private static DateTimeOffset Start(Month m, int day) => new(m.FirstDay.AddDays(day).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private async Task<List<UsageModel.Row>> RowsAsync(TestOrg org, string group, DateTimeOffset start, DateTimeOffset end, string[]? workspaces = null) =>
        (await UsageClient.QueryAsync(f.Http, org.ApiKey, UsageClient.QueryString("langsmith_deployments", group, null, UsageModel.Iso(start), UsageModel.Iso(end),
            workspaces ?? [org.WorkspaceA, org.WorkspaceB, org.DefaultWorkspace]), group)).Rows;

    private async Task SubmitAsync(string? licenseKey, string? apiKey, DateTimeOffset from, DateTimeOffset to, long runs, string ws, string project = "p")
    {
        var response = await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(licenseKey, apiKey, from, to, runs, runs, ws, project));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Three_replicas_up_a_whole_day_bill_1440_standby_minutes_and_259200_uptime_seconds_in_the_api_the_statement_and_the_quota()
    {
        var month = StatementDataset.MonthsBack(f, 2);
        var org = await f.NewOrgAsync();
        var (licenseKey, license) = await f.Services.GetRequiredService<CredentialStore>().CreateLicenseAsync(org.OrgId, "enterprise", null, [], [new Quota("standby_minutes", 1500)]);
        var day = Start(month, 9);
        // Each replica started at its own time the day before and reports every 5 minutes, like the client.
        var offsets = new[] { TimeSpan.Zero, TimeSpan.FromTicks(206_543_210), TimeSpan.FromTicks(417_000_000) };
        var windows = offsets.SelectMany(o => Enumerable.Range(0, 289).Select(k => day.AddSeconds(-300 + 300 * k) + o)).ToList();
        await Parallel.ForEachAsync(windows, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (from, _) =>
            await SubmitAsync(licenseKey, null, from, from.AddSeconds(300), 1, org.WorkspaceA));

        foreach (var group in new[] { "workspace", "project", "license" })
        {
            var row = Assert.Single(await RowsAsync(org, group, day, day.AddDays(1)));
            Assert.Equal((259_200L, 1_440L), (row.Uptime, row.Standby));
        }
        // The day before holds the last five minutes of the first windows; the day after the one minute the later replicas reach into.
        var days = await RowsAsync(org, "license", day.AddDays(-1), day.AddDays(2));
        Assert.Equal([5L, 1_440L, 1L], days.Select(r => r.Standby));

        var key = await Operators.NewKeyAsync(f, "ops-standby");
        await f.RollupAsync(org.OrgId);
        var line = (await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={month}&org_id={org.OrgId}", key)).GetProperty("lines").EnumerateArray()
            .Single(l => l.GetProperty("license_id").GetString() == license.LicenseId);
        Assert.Equal(1_446, line.GetProperty("standby_minutes").GetInt64());
        Assert.Equal(days.Sum(r => r.Uptime), line.GetProperty("agent_uptime_seconds").GetInt64());

        // Quotas count the current month: move the clock into the reported month to read this one's (the
        // 20th: inside every month, February too).
        f.Clock.Freeze(day.AddDays(10));
        try
        {
            var quota = (await Operators.LicenseAsync(f, key, org.OrgId, license.LicenseId)).GetProperty("quotas").EnumerateArray().Single();
            Assert.Equal(("standby_minutes", 1_446L, "warning"), (quota.GetProperty("metric").GetString(), quota.GetProperty("used").GetInt64(), quota.GetProperty("state").GetString()));
            var usage = await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/licenses/{license.LicenseId}/usage", key);
            Assert.Equal(month.ToString(), usage.GetProperty("month").GetString());
            Assert.Equal(1_446, usage.GetProperty("meters").GetProperty("standby_minutes").GetInt64());
            var deployment = Assert.Single(usage.GetProperty("deployments").EnumerateArray());
            Assert.Equal((org.WorkspaceA, "p", 1_446L), (deployment.GetProperty("workspace_id").GetString(), deployment.GetProperty("project_id").GetString(),
                deployment.GetProperty("meters").GetProperty("standby_minutes").GetInt64()));
        }
        finally
        {
            f.Clock.Reset();
        }
    }

    [Fact]
    public async Task The_current_clients_body_gives_the_minute_counts_of_the_specs_example()
    {
        var org = await f.NewOrgAsync();
        var day = Start(StatementDataset.MonthsBack(f, 3), 3);
        var nine = day.AddHours(9);
        async Task Send(DateTimeOffset from, DateTimeOffset to, string project)
        {
            var body = Payloads.CurrentClientWindow(from, to, 7, 21, licenseKey: org.LicenseKey, project: project);
            Assert.Contains("+00:00\"", body);
            Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/beacon/metadata/submit", body)).StatusCode);
        }
        await Send(nine.AddTicks(6_543_210), nine.AddMinutes(5).AddTicks(7_001_120), "real-client");
        await Send(nine, nine.AddMinutes(5), "aligned");
        await Send(nine.AddSeconds(30), nine.AddSeconds(30), "zero-length");

        var rows = (await RowsAsync(org, "project", day, day.AddDays(1), [org.DefaultWorkspace])).ToDictionary(r => r.Id!);
        Assert.Equal(6, rows["real-client"].Standby);
        Assert.Equal(5, rows["aligned"].Standby);
        Assert.Equal((7L, 0L, 0L), (rows["zero-length"].Runs, rows["zero-length"].Uptime, rows["zero-length"].Standby));
    }

    [Fact]
    public async Task A_deployment_reported_by_two_users_counts_its_minutes_once_but_each_user_counts_their_own()
    {
        var org = await f.NewOrgAsync();
        var credentials = f.Services.GetRequiredService<CredentialStore>();
        var second = await f.Services.GetRequiredService<DirectoryStore>().CreateUserAsync(org.OrgId, "grace@example.com", [org.WorkspaceA]);
        var (otherKey, otherRecord) = await credentials.CreateApiKeyAsync(org.OrgId, second.UserId, [], null);
        var day = Start(StatementDataset.MonthsBack(f, 4), 5);
        // Two replicas of one deployment (no license: API-key usage), overlapping for half an hour.
        await SubmitAsync(null, org.ApiKey, day.AddHours(9), day.AddHours(10), 3, org.WorkspaceA);
        await SubmitAsync(null, otherKey, day.AddHours(9.5), day.AddHours(10.5), 4, org.WorkspaceA);

        Assert.Equal(90, Assert.Single(await RowsAsync(org, "workspace", day, day.AddDays(1))).Standby);
        Assert.Equal(90, Assert.Single(await RowsAsync(org, "project", day, day.AddDays(1))).Standby);
        Assert.Equal([60L, 60L], (await RowsAsync(org, "user", day, day.AddDays(1))).Select(r => r.Standby));
        var byKey = (await RowsAsync(org, "api_key", day, day.AddDays(1))).ToDictionary(r => r.Id!, r => r.Standby);
        Assert.Equal(60, byKey[org.ApiKeyRecord.ShortKey]);
        Assert.Equal(60, byKey[otherRecord.ShortKey]);
    }

    [Fact]
    public async Task The_api_key_copy_of_a_licensed_window_keeps_its_minutes_on_the_license()
    {
        var org = await f.NewOrgAsync();
        var day = Start(StatementDataset.MonthsBack(f, 5), 5);
        await SubmitAsync(org.LicenseKey, null, day.AddHours(9), day.AddHours(10), 5, org.WorkspaceA);
        await SubmitAsync(null, org.ApiKey, day.AddHours(9), day.AddHours(10), 5, org.WorkspaceA);
        // A second replica of the same licensed deployment overlaps by half an hour.
        await SubmitAsync(org.LicenseKey, null, day.AddHours(9.5), day.AddHours(10.5), 5, org.WorkspaceA);

        var row = Assert.Single(await RowsAsync(org, "license", day, day.AddDays(1)));
        Assert.Equal((org.LicenseId, 90L, 7_200L), (row.Id, row.Standby, row.Uptime));
    }

    [Fact]
    public async Task Changing_the_default_workspace_recounts_the_minutes_it_joins_and_never_reads_cells_counted_for_the_old_default()
    {
        var org = await f.NewOrgAsync();
        var day = Start(StatementDataset.MonthsBack(f, 6), 5);
        // A deployment without a tenant id (its usage shows in the default workspace) and one naming workspace A, same project.
        await SubmitAsync(org.LicenseKey, null, day.AddHours(9), day.AddHours(10), 1, "");
        await SubmitAsync(org.LicenseKey, null, day.AddHours(9.5), day.AddHours(10.5), 1, org.WorkspaceA);
        async Task<Dictionary<string, long>> ByWorkspace() => (await RowsAsync(org, "workspace", day, day.AddDays(1))).ToDictionary(r => r.Id!, r => r.Standby);

        Assert.Equal(new Dictionary<string, long> { [org.DefaultWorkspace] = 60, [org.WorkspaceA] = 60 }, await ByWorkspace());
        await f.Run().RunAsync(null, org.OrgId);
        Assert.Equal(new Dictionary<string, long> { [org.DefaultWorkspace] = 60, [org.WorkspaceA] = 60 }, await ByWorkspace());

        // Workspace A becomes the default: the two windows are now one deployment's, at once and after the next run.
        Assert.True(await f.Services.GetRequiredService<DirectoryStore>().SetDefaultWorkspaceAsync(org.OrgId, org.WorkspaceA));
        Assert.Equal(new Dictionary<string, long> { [org.WorkspaceA] = 90 }, await ByWorkspace());
        await f.Run().RunAsync(null, org.OrgId);
        Assert.Equal(new Dictionary<string, long> { [org.WorkspaceA] = 90 }, await ByWorkspace());
        var progress = await f.Services.GetRequiredService<RollupStore>().GetProgressAsync(org.OrgId);
        Assert.Equal(org.WorkspaceA, progress!.DefaultWorkspace);
    }

    [Fact]
    public async Task Rollup_cells_of_the_old_layout_are_never_read_and_the_next_run_rebuilds_them()
    {
        var org = await f.NewOrgAsync();
        // A day after the org was created, and over: what a rebuild covers.
        var day = new DateTimeOffset(f.Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        f.Clock.Freeze(day.AddDays(2));
        try
        {
            await OldLayoutIsRebuiltAsync(org, day);
        }
        finally
        {
            f.Clock.Reset();
        }
    }

    private async Task OldLayoutIsRebuiltAsync(TestOrg org, DateTimeOffset day)
    {
        await SubmitAsync(org.LicenseKey, null, day.AddHours(9), day.AddHours(11), 12, org.WorkspaceA);
        await f.Run().RunAsync(null, org.OrgId);
        var expected = await RowsAsync(org, "workspace", day, day.AddDays(1));
        Assert.Equal((12L, 7_200L, 120L), (expected[0].Runs, expected[0].Uptime, expected[0].Standby));

        // Turn the org's rollups into what the previous release wrote: version 2 progress, cells with runs/nodes/uptime_us columns and no minutes.
        var rollups = f.Tables.Rollups;
        var progressKey = (org.OrgId + "|progress", "progress");
        var progress = (await rollups.GetEntityAsync<TableEntity>(progressKey.Item1, progressKey.Item2)).Value;
        progress["cells_version"] = 2;
        progress.Remove("default_workspace");
        await rollups.UpdateEntityAsync(progress, progress.ETag, TableUpdateMode.Replace);
        var dayCells = await rollups.QueryAsync<TableEntity>(e => e.PartitionKey == org.OrgId + "|d|D").ToListAsync();
        foreach (var cell in dayCells)
        {
            var old = new TableEntity(cell.PartitionKey, cell.RowKey) { ["workspace_id"] = cell["workspace_id"], ["project_id"] = cell["project_id"], ["runs"] = 999L, ["nodes"] = 999L, ["uptime_us"] = 1L };
            await rollups.UpsertEntityAsync(old, TableUpdateMode.Replace);
        }

        Assert.Equal(expected, await RowsAsync(org, "workspace", day, day.AddDays(1)));
        await f.Run().RunAsync(null, org.OrgId);
        Assert.Equal(expected, await RowsAsync(org, "workspace", day, day.AddDays(1)));
        var rebuilt = await rollups.QueryAsync<TableEntity>(e => e.PartitionKey == org.OrgId + "|d|D").ToListAsync();
        Assert.All(rebuilt, c => Assert.False(c.ContainsKey("runs")));
        Assert.Contains(rebuilt, c => c.GetInt64("v_standby_minutes") == 120);
    }
}
