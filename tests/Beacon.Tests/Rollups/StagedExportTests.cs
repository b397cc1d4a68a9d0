using System.Net;
using Beacon.Storage.Exports;
using Beacon.Storage.Rollups;
using Beacon.Storage.Stores;
using Beacon.Tests.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Rollups;

[Collection(LedgerCollection.Name)]
[Trait("Tier", "Slow")] // stages 95 presets per run
public sealed class StagedExportTests(NoFleetWriterFixture f)
{
    private Storage.Maintenance.MaintenanceRun Job() => f.Run(new RollupOptions { Grace = TimeSpan.Zero });

    private async Task<(string Source, byte[] Bytes)> ExportAsync(TestOrg org, DateOnly end, int days, string group = "project", params string[] workspaces)
    {
        var start = end.AddDays(-days);
        var query = UsageClient.QueryString("langsmith_deployments", group, null, $"{start:yyyy-MM-dd}", $"{end:yyyy-MM-dd}",
            workspaces.Length > 0 ? workspaces : [org.WorkspaceA, org.WorkspaceB, org.DefaultWorkspace]); // a preset covers all of the org's workspaces
        var response = await UsageClient.GetAsync(f.Http, "/api/v1/orgs/current/billing/granular-usage/export?" + query, org.ApiKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response.Headers.GetValues("X-Beacon-Export-Source").Single(), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_preset_is_served_staged_byte_identical_to_live_and_late_data_switches_it_to_live_until_the_next_run()
    {
        var org = await f.NewOrgAsync();
        var today = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero);
        var project = Guid.NewGuid().ToString();
        for (int d = 2; d <= 12; d++)
            await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, today.AddDays(-d).AddHours(3), today.AddDays(-d).AddHours(5), 10 * d, d, org.WorkspaceA, project));
        var report = Assert.Single((await Job().RunAsync(onlyOrg: org.OrgId)).Orgs);
        Assert.Equal(95, report.ExportsStaged);
        var end = report.RolledThrough.AddDays(1);

        var (source, staged) = await ExportAsync(org, end, 7);
        Assert.Equal("staged", source);
        Assert.Contains(project, System.Text.Encoding.UTF8.GetString(staged), StringComparison.Ordinal);

        // Late data for a day inside the preset: the staged file is stale, so the live answer is served.
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, today.AddDays(-3).AddHours(8), today.AddDays(-3).AddHours(9), 1000, 1000, org.WorkspaceA, project));
        var (lateSource, late) = await ExportAsync(org, end, 7);
        Assert.Equal("live", lateSource);
        Assert.NotEqual(staged, late);

        // The next run recomputes the day and restages; the staged file now equals the live answer.
        Assert.Equal(95, Assert.Single((await Job().RunAsync(onlyOrg: org.OrgId)).Orgs).ExportsStaged);
        var (againSource, restaged) = await ExportAsync(org, end, 7);
        Assert.Equal("staged", againSource);
        Assert.Equal(late, restaged);
        await f.Tables.Exports.DeleteBlobAsync(StagedExports.BlobName(org.OrgId, new Domain.Query.UsageQuery(Domain.Usage.UsageKind.Deployments, Domain.Query.GroupBy.Project, null,
            Domain.Time.Timestamps.StartOfDay(end.AddDays(-7)), Domain.Time.Timestamps.StartOfDay(end), [.. new[] { org.WorkspaceA, org.WorkspaceB, org.DefaultWorkspace }.Order(StringComparer.Ordinal)])));
        var (liveSource, live) = await ExportAsync(org, end, 7);
        Assert.Equal("live", liveSource);
        Assert.Equal(restaged, live);
    }

    [Fact]
    public async Task Every_staged_preset_is_byte_identical_to_its_own_live_answer()
    {
        // Staging writes a range's presets side by side from one read (UsageQueryEngine.RunTogetherAsync); each
        // file must still be exactly what the live path writes for its own grouping and tier.
        var org = await f.NewOrgAsync();
        var today = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero);
        var projects = new[] { Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString() };
        var transactions = new List<object>();
        for (int d = 2; d <= 60; d += 3)
        {
            var (workspace, project) = (d % 2 == 0 ? org.WorkspaceA : org.WorkspaceB, projects[d % 3]);
            await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, today.AddDays(-d).AddHours(3), today.AddDays(-d).AddHours(5), 10 * d, d, workspace, project));
            transactions.Add(Payloads.Transaction(Guid.NewGuid().ToString(), workspace, project, d, today.AddDays(-d).AddHours(7), d % 4 == 0 ? "shortlived" : "longlived_traces"));
        }
        Assert.Equal(HttpStatusCode.OK, (await f.PostJsonAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, transactions))).StatusCode);
        var report = Assert.Single((await Job().RunAsync(onlyOrg: org.OrgId)).Orgs);
        Assert.Equal(95, report.ExportsStaged);

        var directory = f.Services.GetRequiredService<DirectoryStore>();
        var engine = f.Services.GetRequiredService<Storage.Query.UsageQueryEngine>();
        var csv = f.Services.GetRequiredService<UsageCsvWriter>();
        var defaultWorkspace = (await directory.GetDefaultWorkspaceAsync(org.OrgId))!;
        var coverage = await engine.GetCoverageAsync(org.OrgId, defaultWorkspace);
        var workspaces = (await directory.ListWorkspacesAsync(org.OrgId)).Select(w => w.WorkspaceId).Order(StringComparer.Ordinal).ToList();
        int withRows = 0;
        foreach (var query in StagedExports.Presets(report.RolledThrough.AddDays(1), workspaces))
        {
            var names = await Storage.Query.DimensionNames.LoadAsync(directory, org.OrgId, query.GroupBy, default);
            using var live = new MemoryStream();
            var rows = await csv.WriteAsync(live, query, engine.RunAsync(org.OrgId, query, coverage, defaultWorkspace), names.Label, default);
            var staged = (await f.Tables.Exports.GetBlobClient(StagedExports.BlobName(org.OrgId, query)).DownloadContentAsync()).Value.Content.ToArray();
            Assert.True(live.ToArray().AsSpan().SequenceEqual(staged), $"{StagedExports.BlobName(org.OrgId, query)} differs from its live answer");
            if (rows > 0) withRows++;
        }
        Assert.True(withRows >= 60, $"only {withRows} presets have rows: the data does not exercise the groupings");
    }

    [Fact]
    public async Task Anything_but_an_exact_preset_match_with_current_names_is_answered_live()
    {
        var org = await f.NewOrgAsync();
        var today = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero);
        var project = Guid.NewGuid().ToString();
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, today.AddDays(-5).AddHours(3), today.AddDays(-5).AddHours(5), 10, 20, org.WorkspaceA, project));
        var end = Assert.Single((await Job().RunAsync(onlyOrg: org.OrgId)).Orgs).RolledThrough.AddDays(1);

        Assert.Equal("staged", (await ExportAsync(org, end, 30)).Source);
        Assert.Equal("live", (await ExportAsync(org, end, 29)).Source);
        Assert.Equal("live", (await ExportAsync(org, end, 30, "project", org.WorkspaceA)).Source);
        await f.Services.GetRequiredService<DirectoryStore>().NameProjectAsync(org.OrgId, project, "Renamed after staging");
        var (source, bytes) = await ExportAsync(org, end, 30);
        Assert.Equal("live", source);
        Assert.Contains("Renamed after staging", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal("staged", (await ExportAsync(org, end, 30, "workspace")).Source);
    }

    [Fact]
    public async Task Staged_files_of_presets_that_moved_on_are_removed()
    {
        var org = await f.NewOrgAsync();
        var job = Job();
        var now = DateTimeOffset.UtcNow;
        await job.RunAsync(now.AddDays(-1), org.OrgId);
        var before = await ListAsync(org.OrgId + "/");
        await job.RunAsync(now, org.OrgId);
        var after = await ListAsync(org.OrgId + "/");

        Assert.Equal(95, before.Count);
        Assert.Equal(95, after.Count);
        Assert.Empty(before.Intersect(after));
    }

    private async Task<List<string>> ListAsync(string prefix) =>
        await f.Tables.Exports.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, default).Select(b => b.Name).ToListAsync();
}
