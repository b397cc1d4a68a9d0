using Beacon.Cli;
using Beacon.Storage.Rollups;
using Beacon.Storage.Stores;
using Beacon.Testing;
using Beacon.Tests.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Rollups;

/// <summary>
/// The rollup under operator mistakes and storage trouble (SPEC §9): a future <c>--now</c>, a past one,
/// one org failing, one org with far more work than the others, sustained throttling.
/// </summary>
[Collection(BeaconCollection.Name)]
public sealed class RollupResilienceTests(NoFleetWriterFixture f)
{
    private static RollupOptions Options(int maxSteps = 24) => new()
    {
        StageExports = false, Grace = TimeSpan.Zero, MaxStepsPerOrg = maxSteps, StepAttempts = 10, StepRetryDelay = TimeSpan.FromMilliseconds(5),
    };

    private static DateTimeOffset DaysAgo(BeaconFixture f, int days) => new DateTimeOffset(f.Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(-days).AddHours(9);

    private async Task SubmitAsync(TestOrg org, DateTimeOffset from, long runs) =>
        Assert.Equal(System.Net.HttpStatusCode.NoContent,
            (await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, from, from.AddMinutes(5), runs, runs, org.WorkspaceA, "p"))).StatusCode);

    private async Task<long> RunsAsync(TestOrg org, int days)
    {
        var end = new DateTimeOffset(f.Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        var (_, rows) = await UsageClient.QueryAsync(f.Http, org.ApiKey,
            UsageClient.QueryString("langsmith_deployments", "workspace", null, UsageModel.Iso(end.AddDays(-days)), UsageModel.Iso(end), [org.WorkspaceA]), "workspace");
        return rows.Sum(r => r.Runs);
    }

    [Fact]
    public async Task A_run_as_of_a_time_later_than_the_clock_is_refused_and_changes_nothing()
    {
        var org = await f.NewOrgAsync();
        await SubmitAsync(org, DaysAgo(f, 2), 5);
        var future = f.Clock.GetUtcNow().AddDays(3);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => f.Run(Options()).RunAsync(future, org.OrgId));
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["rollup", "--now", future.ToString("O"), "--org", org.OrgId], TextWriter.Null, stderr,
            new Dictionary<string, string?> { ["AzureWebJobsStorage"] = f.ConnectionString });
        Assert.NotEqual(0, code);
        Assert.Contains("--now may not be later than the clock", stderr.ToString(), StringComparison.Ordinal);
        Assert.Null(await f.Services.GetRequiredService<RollupStore>().GetProgressAsync(org.OrgId));
    }

    [Fact]
    public async Task A_run_as_of_an_earlier_time_leaves_every_answer_exact()
    {
        var org = await f.NewOrgAsync();
        await SubmitAsync(org, DaysAgo(f, 3), 5);
        await f.Run(Options()).RunAsync(onlyOrg: org.OrgId);
        await SubmitAsync(org, DaysAgo(f, 3).AddHours(1), 7);
        await SubmitAsync(org, DaysAgo(f, 1), 11);

        var dirty = f.Services.GetRequiredService<DirtyDayStore>();
        Assert.NotEmpty(await dirty.ListAsync(org.OrgId));
        await f.Run(Options()).RunAsync(DaysAgo(f, 6), org.OrgId);
        Assert.Equal(23, await RunsAsync(org, 7));

        await SubmitAsync(org, DaysAgo(f, 1).AddHours(2), 100);
        await f.Run(Options()).RunAsync(onlyOrg: org.OrgId);
        Assert.Empty(await dirty.ListAsync(org.OrgId));
        Assert.Equal(123, await RunsAsync(org, 7));
    }

    [Fact]
    public async Task One_orgs_failure_does_not_stop_the_next_orgs_rollup()
    {
        var broken = await f.NewOrgAsync();
        var healthy = await f.NewOrgAsync();
        await SubmitAsync(broken, DaysAgo(f, 2), 5);
        await SubmitAsync(healthy, DaysAgo(f, 2), 6);
        var rollupsPort = f.Tables.Rollups.Uri.Port;
        f.Faults.Set(r => r.Method != Azure.Core.RequestMethod.Get && r.Uri.Port == rollupsPort
                          && FaultInjectingTransport.BodyOf(r).Contains(broken.OrgId, StringComparison.Ordinal)
            ? FaultInjectingTransport.Fault.Refused : FaultInjectingTransport.Fault.None);
        RollupReport report;
        try
        {
            report = await f.Run(Options()).RunAsync(null, [broken.OrgId, healthy.OrgId]);
        }
        finally
        {
            f.Faults.Set(null);
        }

        Assert.NotNull(report.Orgs[0].Error);
        Assert.Null(report.Orgs[1].Error);
        Assert.True(report.Orgs[1].DaysRecomputed > 0);
        Assert.Equal(6, await RunsAsync(healthy, 7));
        Assert.Equal(5, await RunsAsync(broken, 7)); // still exact: its days stay dirty and are read raw
        Assert.Null((await f.Run(Options()).RunAsync(onlyOrg: broken.OrgId)).Orgs[0].Error);
    }

    [Fact]
    public async Task Each_org_gets_a_share_of_a_run_and_the_rest_waits_for_the_next()
    {
        var busy = await f.NewOrgAsync();
        var quiet = await f.NewOrgAsync();
        await f.Run(Options()).RunAsync(null, [busy.OrgId, quiet.OrgId]); // both covered up to yesterday
        foreach (var days in new[] { 2, 4, 6, 8, 10 }) await SubmitAsync(busy, DaysAgo(f, days), days); // five separate dirty runs
        await SubmitAsync(quiet, DaysAgo(f, 2), 1);

        var first = await f.Run(Options(maxSteps: 2)).RunAsync(null, [busy.OrgId, quiet.OrgId]);
        Assert.True(first.Orgs[0].StepsDeferred > 0);
        Assert.Equal(0, first.Orgs[1].StepsDeferred);
        Assert.True(first.Orgs[1].DaysRecomputed > 0);

        for (int run = 0; run < 5 && (await f.Services.GetRequiredService<DirtyDayStore>().ListAsync(busy.OrgId)).Count > 0; run++)
            await f.Run(Options(maxSteps: 2)).RunAsync(onlyOrg: busy.OrgId);
        Assert.Empty(await f.Services.GetRequiredService<DirtyDayStore>().ListAsync(busy.OrgId));
        Assert.Equal(30, await RunsAsync(busy, 14));
    }

    [Fact]
    public async Task Under_sustained_throttling_a_run_keeps_what_it_finished_and_completes()
    {
        var org = await f.NewOrgAsync();
        foreach (var days in new[] { 2, 5, 9 }) await SubmitAsync(org, DaysAgo(f, days), days);
        var tablePort = f.Tables.Rollups.Uri.Port;
        var random = new Random(7);
        f.Faults.Set(r => r.Uri.Port == tablePort && random.NextDouble() < 0.3 ? FaultInjectingTransport.Fault.ServerBusy : FaultInjectingTransport.Fault.None);
        RollupReport report;
        try
        {
            report = await f.Run(Options()).RunAsync(onlyOrg: org.OrgId);
        }
        finally
        {
            f.Faults.Set(null);
        }
        var o = Assert.Single(report.Orgs);
        Assert.Null(o.Error);
        Assert.True(o.DaysRecomputed > 0);
        Assert.Empty(await f.Services.GetRequiredService<DirtyDayStore>().ListAsync(org.OrgId));
        Assert.Equal(16, await RunsAsync(org, 14));
    }
}
