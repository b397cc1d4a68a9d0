using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Domain.Time;
using Beacon.Storage.Stores;
using Beacon.Tests.Usage;
using Microsoft.Extensions.DependencyInjection;
using Fault = Beacon.Testing.FaultInjectingTransport.Fault;

namespace Beacon.Tests.Api;

/// <summary>
/// The commit-unknown fault: a storage write reaches Azurite and commits, then its answer is lost and
/// the SDK retries something that already happened (an insert meets 409, a conditional update 412).
/// Every write Beacon makes must still end in exactly the right stored counts.
/// </summary>
[Collection(BeaconCollection.Name)]
public sealed class CommitUnknownTests(NoFleetWriterFixture f) : IDisposable
{
    private static readonly DateTimeOffset Nine = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    public void Dispose() => f.Faults.Set(null);

    /// <summary>Loses the answer of the first request that <paramref name="matches"/>; returns how many were lost.</summary>
    private Func<int> LoseFirstAnswer(Func<Azure.Core.Request, bool> matches)
    {
        int lost = 0;
        f.Faults.Set(r => matches(r) && Interlocked.CompareExchange(ref lost, 1, 0) == 0 ? Fault.CommitUnknown : Fault.None);
        return () => Volatile.Read(ref lost);
    }

    private static bool Is(Azure.Core.Request r, string method, string pathPart) =>
        r.Method.Method == method && r.Uri.ToUri().AbsolutePath.Contains(pathPart, StringComparison.Ordinal);

    private async Task<Azure.Data.Tables.TableEntity?> WindowAsync(TestOrg org, DateTimeOffset from) =>
        await f.Services.GetRequiredService<WindowStore>().GetAsync(org.OrgId, org.WorkspaceA, "", Timestamps.FromDateTimeOffset(from));

    [Fact]
    public async Task A_window_insert_whose_answer_is_lost_is_stored_once_with_its_counts()
    {
        var org = await f.NewOrgAsync();
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine.AddDays(1), Nine.AddDays(1).AddMinutes(1), 1, 1, org.WorkspaceA)); // warm caches
        var lost = LoseFirstAnswer(r => Is(r, "POST", "/UsageWindows"));

        var response = await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 7, 21, org.WorkspaceA));

        Assert.Equal(1, lost());
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var stored = await WindowAsync(org, Nine);
        Assert.Equal((7L, 21L), (stored!.GetInt64("runs")!.Value, stored.GetInt64("nodes")!.Value));
        Assert.Equal(2, (await f.RawAsync(f.Tables.UsageWindows, org.OrgId)).Count);
    }

    [Fact]
    public async Task A_supersede_whose_answer_is_lost_ends_in_the_newest_window()
    {
        var org = await f.NewOrgAsync();
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 7, 21, org.WorkspaceA));
        var lost = LoseFirstAnswer(r => Is(r, "PUT", "/UsageWindows("));

        var response = await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(10), 7 + 5, 21 + 15, org.WorkspaceA));

        Assert.Equal(1, lost());
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var stored = await WindowAsync(org, Nine);
        Assert.Equal((12L, 36L, Timestamps.FromDateTimeOffset(Nine.AddMinutes(10))), (stored!.GetInt64("runs")!.Value, stored.GetInt64("nodes")!.Value, stored.GetInt64("to_us")!.Value));
    }

    [Fact]
    public async Task A_trace_claim_batch_whose_answer_is_lost_reports_and_stores_each_transaction_once()
    {
        var org = await f.NewOrgAsync();
        var body = Payloads.Traces(org.LicenseKey, Enumerable.Range(1, 5).Select(i => Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "p", i, Nine)));
        var lost = LoseFirstAnswer(r => Is(r, "POST", "/$batch") && FaultInjectingTransport.BodyOf(r).Contains("/TraceIds", StringComparison.Ordinal));

        var first = await f.PostJsonAsync("/v1/beacon/ingest-traces", body);
        var again = await f.PostJsonAsync("/v1/beacon/ingest-traces", body);

        Assert.Equal(1, lost());
        Assert.Equal(5, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("inserted_count").GetInt32());
        Assert.Equal(0, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("inserted_count").GetInt32());
        var stored = await f.RawAsync(f.Tables.TraceTransactions, org.OrgId);
        Assert.Equal((5, 15L), (stored.Count, stored.Sum(e => e.GetInt64("trace_count")!.Value)));
    }

    [Fact]
    public async Task A_dirty_mark_whose_answer_is_lost_is_stored_once_and_the_late_window_counts()
    {
        var org = await f.NewOrgAsync();
        var lateDay = new DateTimeOffset(f.Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(-2).AddHours(3);
        var lost = LoseFirstAnswer(r => Is(r, "PUT", "/DirtyDays("));

        var response = await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, lateDay, lateDay.AddMinutes(5), 4, 8, org.WorkspaceA));

        Assert.Equal(1, lost());
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Single(await f.RawAsync(f.Tables.DirtyDays, org.OrgId));
        Assert.Equal(4, (await WindowAsync(org, lateDay))!.GetInt64("runs"));
    }

    [Fact]
    public async Task Rollup_progress_saves_whose_answers_are_lost_still_complete_the_run_and_answers_stay_exact()
    {
        var org = await f.NewOrgAsync();
        for (int d = 0; d < 40; d += 3)
            await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine.AddDays(d), Nine.AddDays(d).AddHours(2), 10 + d, 3 * d, org.WorkspaceA));
        var query = UsageClient.QueryString("langsmith_deployments", "workspace", null, "2026-03-01", "2026-05-01", [org.WorkspaceA]);
        var (_, before) = await UsageClient.QueryAsync(f.Http, org.ApiKey, query, "workspace");
        // Every progress write loses its answer.
        int lost = 0;
        f.Faults.Set(r => r.Method.Method is "PUT" or "POST" && r.Uri.ToUri().AbsolutePath.Contains("/Rollups", StringComparison.Ordinal)
                          && r.Uri.ToUri().AbsolutePath.Contains("progress", StringComparison.Ordinal) && Interlocked.Increment(ref lost) % 2 == 1
            ? Fault.CommitUnknown : Fault.None);

        var report = await f.Run().RunAsync(onlyOrg: org.OrgId);
        f.Faults.Set(null);

        Assert.True(report.Ran);
        Assert.True(lost > 3, $"only {lost} progress writes");
        var rolled = Assert.Single(report.Orgs);
        Assert.True(rolled.RolledThrough >= DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime).AddDays(-2));
        var (_, after) = await UsageClient.QueryAsync(f.Http, org.ApiKey, query, "workspace");
        Assert.Equal(before, after);
        Assert.Equal(Enumerable.Range(0, 14).Sum(i => 10 + 3 * i), after.Sum(r => r.Runs));
    }
}
