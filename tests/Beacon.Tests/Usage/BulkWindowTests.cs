using System.Net;
using System.Text.Json;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Usage;

/// <summary>
/// The demo's bulk path for windows (<see cref="WindowStore.AddWindowsAsync"/>) bills exactly what sending the
/// same windows one by one bills, also when it meets windows that are stored already.
/// </summary>
[Collection(BeaconCollection.Name)]
public sealed class BulkWindowTests(NoFleetWriterFixture f)
{
    private UsageReport Parse(TestOrg org, DateTimeOffset from, DateTimeOffset to, long runs, string project)
    {
        using var body = JsonDocument.Parse(ClientWindowBody.Format(from, to, runs, runs * 2, org.WorkspaceA, project, credential: org.LicenseKey));
        return UsageReportParser.Parse(body.RootElement, Timestamps.FromDateTimeOffset(f.Clock.GetUtcNow())).Value!;
    }

    [Fact]
    public async Task Bulk_windows_bill_like_windows_sent_alone_and_a_stored_key_is_superseded_by_the_usual_rule()
    {
        var org = await f.NewOrgAsync();
        var day = new DateTimeOffset(f.Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(-4);
        // Stored first through the API: the bulk below meets this key with a later copy (more runs).
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/beacon/metadata/submit",
            ClientWindowBody.Format(day.AddHours(9), day.AddHours(10), 5, 10, org.WorkspaceA, "p-stored", credential: org.LicenseKey))).StatusCode);

        var reporter = Reporter.ForLicense(org.LicenseId);
        (UsageReport, Reporter)[] bulk =
        [
            (Parse(org, day.AddHours(9), day.AddHours(11), 9, "p-stored"), reporter),        // the stored key, later: supersedes it
            (Parse(org, day.AddHours(22), day.AddHours(26), 40, "p-midnight"), reporter),    // crosses midnight: found from the next day too
            (Parse(org, day.AddHours(1), day.AddHours(2), 7, "p-new"), reporter),
            (Parse(org, day.AddHours(2), day.AddHours(3), 3, "p-new"), reporter),
        ];
        await f.Services.GetRequiredService<WindowStore>().AddWindowsAsync(org.OrgId, bulk, f.Clock.GetUtcNow());

        async Task<long> RunsAsync(DateTimeOffset start, DateTimeOffset end)
        {
            var (_, rows) = await UsageClient.QueryAsync(f.Http, org.ApiKey,
                UsageClient.QueryString("langsmith_deployments", "workspace", null, UsageModel.Iso(start), UsageModel.Iso(end), [org.WorkspaceA]), "workspace");
            return rows.Sum(r => r.Runs);
        }
        Assert.Equal(9 + 40 + 7 + 3, await RunsAsync(day, day.AddDays(2)));
        // The next day alone holds the midnight window's share, read through its span pointer.
        Assert.Equal(20, await RunsAsync(day.AddDays(1), day.AddDays(2))); // 2 of its 4 hours

        // The same bulk again changes nothing: every key exists with the same counts.
        await f.Services.GetRequiredService<WindowStore>().AddWindowsAsync(org.OrgId, bulk, f.Clock.GetUtcNow());
        Assert.Equal(9 + 40 + 7 + 3, await RunsAsync(day, day.AddDays(2)));

        // And a rollup (which reads the days the bulk marked dirty) answers the same.
        await f.Run(new Storage.Rollups.RollupOptions { Grace = TimeSpan.Zero, StageExports = false }).RunAsync(onlyOrg: org.OrgId);
        Assert.Equal(9 + 40 + 7 + 3, await RunsAsync(day, day.AddDays(2)));
    }
}
