using System.Text.Json;
using Beacon.Cli;
using Beacon.Storage.Rollups;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Rollups;

[Collection(LedgerCollection.Name)]
public sealed class RollupJobTests(NoFleetWriterFixture f)
{
    private static readonly DateTimeOffset Nine = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private Storage.Maintenance.MaintenanceRun Job(RollupOptions? options = null) => f.Run(options);

    [Fact]
    public async Task Two_concurrent_runs_never_both_work()
    {
        var org = await f.NewOrgAsync();
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine, Nine.AddHours(1), 1, 1, org.WorkspaceA));
        var inside = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var first = f.Run(afterStep: async (_, _) =>
        {
            inside.TrySetResult();
            await release.Task;
        });

        var running = first.RunAsync(onlyOrg: org.OrgId);
        await inside.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = await Job().RunAsync(onlyOrg: org.OrgId);
        release.SetResult();
        var firstReport = await running;

        Assert.False(second.Ran);
        Assert.Contains("lease", second.SkippedReason, StringComparison.Ordinal);
        Assert.True(firstReport.Ran);
        Assert.True((await Job().RunAsync(onlyOrg: org.OrgId)).Ran);
    }

    [Fact]
    public async Task A_run_holds_a_lease_that_ends_on_its_own_so_a_crashed_run_blocks_the_next_only_until_it_ends()
    {
        var org = await f.NewOrgAsync();
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine, Nine.AddHours(1), 1, 1, org.WorkspaceA));
        var blob = f.Tables.Locks.GetBlobClient(Storage.Maintenance.MaintenanceRun.LeaseBlob);

        // While a run works, the lease it holds has a fixed duration (RollupOptions.LeaseDuration, 15–60 s), never an
        // infinite one: a run that crashes stops renewing, and storage ends the lease by itself.
        var inside = new TaskCompletionSource<Azure.Storage.Blobs.Models.BlobProperties>();
        var release = new TaskCompletionSource();
        var running = f.Run(afterStep: async (_, ct) =>
        {
            inside.TrySetResult((await blob.GetPropertiesAsync(cancellationToken: ct)).Value);
            await release.Task;
        }).RunAsync(onlyOrg: org.OrgId);
        var held = await inside.Task.WaitAsync(TimeSpan.FromSeconds(30));
        release.SetResult();
        Assert.True((await running).Ran);
        Assert.Equal(Azure.Storage.Blobs.Models.LeaseState.Leased, held.LeaseState);
        Assert.Equal(Azure.Storage.Blobs.Models.LeaseDurationType.Fixed, held.LeaseDuration);

        // A run that took the lease and died: nobody renews or releases it, and runs are skipped while it lasts.
        var crashed = Azure.Storage.Blobs.Specialized.SpecializedBlobExtensions.GetBlobLeaseClient(blob);
        await crashed.AcquireAsync(TimeSpan.FromSeconds(15));
        var during = await Job().RunAsync(onlyOrg: org.OrgId);
        // Its end, without waiting the 15 s out on Azurite's clock (no test waits on a wall clock, ADR 0019): a break
        // with no break period leaves the lease as storage leaves an expired one: ended, held by no one. Taking the
        // lease does not depend on how the last one ended (BlobLease.TryAcquireAsync).
        await crashed.BreakAsync(TimeSpan.Zero);
        var after = await Job().RunAsync(onlyOrg: org.OrgId);

        Assert.False(during.Ran);
        Assert.Contains("lease", during.SkippedReason, StringComparison.Ordinal);
        Assert.True(after.Ran);
    }

    [Fact]
    public async Task Marks_younger_than_the_grace_period_stay_so_late_writes_cannot_be_missed()
    {
        var org = await f.NewOrgAsync();
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine, Nine.AddHours(1), 1, 1, org.WorkspaceA));
        var dirty = f.Services.GetRequiredService<DirtyDayStore>();

        await Job(new RollupOptions { StageExports = false, Grace = TimeSpan.FromMinutes(10) }).RunAsync(onlyOrg: org.OrgId);
        Assert.NotEmpty(await dirty.ListAsync(org.OrgId));

        var report = Assert.Single((await Job().RunAsync(onlyOrg: org.OrgId)).Orgs);
        Assert.Equal(1, report.MarksCleared);
        Assert.Empty(await dirty.ListAsync(org.OrgId));
    }

    [Fact]
    public async Task Days_weeks_and_months_are_computed_once_and_a_rerun_does_nothing()
    {
        var org = await f.NewOrgAsync();
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine, Nine.AddHours(1), 6, 6, org.WorkspaceA));
        var now = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

        var first = Assert.Single((await Job().RunAsync(now, org.OrgId)).Orgs);
        var again = Assert.Single((await Job().RunAsync(now, org.OrgId)).Orgs);

        Assert.Equal(new DateOnly(2026, 10, 31), first.RolledThrough);
        Assert.Equal(new DateOnly(2026, 2, 23), first.FirstDay); // the Monday on or before March 1st
        Assert.Equal(first.RolledThrough.DayNumber - first.FirstDay.DayNumber + 1, first.DaysRecomputed);
        Assert.Equal(8, first.MonthsRecomputed); // March to October
        Assert.Equal((0, 0, 0), (again.DaysRecomputed, again.WeeksRecomputed, again.MonthsRecomputed));
        Assert.Equal(first.Epoch, again.Epoch);
        var monthCells = await f.Services.GetRequiredService<RollupStore>()
            .ReadCellsAsync(org.OrgId, Domain.Usage.UsageKind.Deployments, Domain.Query.BlockSize.Month, new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 1), null).ToListAsync();
        var catalog = Domain.Meters.MeterCatalog.Default;
        Assert.Equal(6, Assert.Single(monthCells).Cell.Values[catalog.SlotOf(catalog.Find("agent_runs")!, Domain.Meters.MinuteScope.Deployment)]);
    }

    [Fact]
    public async Task The_rollup_command_runs_once_as_of_now_and_reports_what_it_recomputed()
    {
        var org = await f.NewOrgAsync();
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine, Nine.AddHours(1), 1, 1, org.WorkspaceA));
        using var stdout = new StringWriter();
        var code = await CliApp.RunAsync(["rollup", "--now", "2026-04-02T00:30:00Z", "--org", org.OrgId, "--json"], stdout, TextWriter.Null,
            new Dictionary<string, string?> { ["AzureWebJobsStorage"] = f.ConnectionString });

        Assert.Equal(0, code);
        var json = JsonDocument.Parse(stdout.ToString()).RootElement;
        Assert.True(json.GetProperty("ran").GetBoolean());
        var o = json.GetProperty("orgs")[0];
        Assert.Equal(org.OrgId, o.GetProperty("org_id").GetString());
        // At 00:30 with a 10-minute grace, April 1st is closed.
        Assert.Equal("2026-04-01", o.GetProperty("rolled_through").GetString());
        Assert.True(o.GetProperty("days_recomputed").GetInt32() > 30);
        // The window's day was marked dirty moments ago, so its mark is younger than the grace and stays. The
        // presets whose range holds that day wait for the run that clears it (a staged file is never served
        // while a day in its range is dirty, so staging it now would be wasted work); the 7-day presets (19:
        // 15 of traces, 4 of deployments) end after it and are staged.
        Assert.Equal(19, o.GetProperty("exports_staged").GetInt32());
        Assert.Equal(95 - 19, o.GetProperty("exports_waiting").GetInt32());
    }
}
