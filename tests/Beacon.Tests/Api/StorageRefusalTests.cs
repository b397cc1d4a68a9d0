using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Beacon.Tests.Usage;

namespace Beacon.Tests.Api;

/// <summary>
/// What a client is told when storage misbehaves (SPEC §9): a refusal no retry can fix is not "retry
/// later"; a slow storage call ends at the request's deadline; a JSON answer is never cut part-way.
/// </summary>
[Collection(BeaconCollection.Name)]
[Trait("Tier", "Slow")] // fault runs over large answers
public sealed class StorageRefusalTests(NoFleetWriterFixture f)
{
    private static readonly DateTimeOffset Nine = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private async Task<HttpResponseMessage> WithFaultsAsync(Func<Azure.Core.Request, FaultInjectingTransport.Fault> rule, Func<Task<HttpResponseMessage>> call)
    {
        f.Faults.Set(rule);
        try
        {
            return await call();
        }
        finally
        {
            f.Faults.Set(null);
        }
    }

    [Fact]
    public async Task A_permanent_storage_refusal_is_a_500_that_says_retrying_will_not_help()
    {
        var org = await f.NewOrgAsync();
        var windowsPort = f.Tables.UsageWindows.Uri.Port;
        f.Faults.SlowFor = TimeSpan.FromSeconds(7);
        var response = await WithFaultsAsync(
            r => r.Method != Azure.Core.RequestMethod.Get && r.Uri.Port == windowsPort && r.Uri.Path.Contains("UsageWindows", StringComparison.Ordinal)
                ? FaultInjectingTransport.Fault.Refused : FaultInjectingTransport.Fault.None,
            () => f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 1, 1, org.WorkspaceA)));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:beacon:problem:storage-refused", problem.GetProperty("type").GetString());
        Assert.Contains("PropertyValueTooLarge", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("will not help", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_hundred_long_measure_names_are_stored_rather_than_refused_by_storage_forever()
    {
        var org = await f.NewOrgAsync();
        var measures = Enumerable.Range(0, 200).ToDictionary(i => $"m{i:D3}".PadRight(256, 'x'), i => (object?)i);
        var body = JsonSerializer.Deserialize<Dictionary<string, object?>>(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 4, 9, org.WorkspaceA))!;
        measures["langgraph.platform.runs"] = 4;
        measures["langgraph.platform.nodes"] = 9;
        body["measures"] = measures;
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/metadata/submit", JsonSerializer.Serialize(body))).StatusCode);
        Assert.Equal(4, (await f.RawAsync(f.Tables.UsageWindows, org.OrgId)).Single().GetInt64("runs"));
    }

    [Fact]
    public async Task Storage_calls_slower_than_the_request_deadline_end_in_503()
    {
        var org = await f.NewOrgAsync();
        var (app, http) = await f.StartAppAsync(new Dictionary<string, string> { ["Beacon:StorageDeadline"] = "00:00:05" });
        await using var stopped = app; // its background loops stop with the test
        var started = DateTimeOffset.UtcNow;
        f.Faults.SlowFor = TimeSpan.FromSeconds(7);
        var response = await WithFaultsAsync(_ => FaultInjectingTransport.Fault.Slow,
            () => http.PostAsync("/v1/metadata/submit", new StringContent(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 1, 1, org.WorkspaceA))));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(30), "the request waited for every slow call and its retries");
    }

    [Fact]
    public async Task A_json_answer_interrupted_by_a_fault_is_a_503_never_a_200_with_a_cut_body()
    {
        // 400 projects in January (a bucket of ~100 KiB of JSON, more than a writer would buffer) and usage
        // in February: the query reads about a month at a time (SourcePlan.ForBuckets), and the read of the weeks
        // after January's first four fails after those are written.
        var org = await f.NewOrgAsync();
        var windows = Enumerable.Range(0, 400).Select(i => (At: new DateTimeOffset(2025, 1, 10, 9, 0, 0, TimeSpan.Zero).AddSeconds(i), Project: $"project-{i:D3}-".PadRight(120, 'p')))
            .Concat(Enumerable.Range(0, 20).Select(i => (At: new DateTimeOffset(2025, 2, 10, 9, 0, 0, TimeSpan.Zero).AddSeconds(i), Project: "busy")));
        await Parallel.ForEachAsync(windows, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (w, _) =>
            Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, w.At, w.At.AddSeconds(1), 1, 1, org.WorkspaceA, w.Project))).StatusCode));
        var query = "/api/v1/orgs/current/billing/granular-usage?" + UsageClient.QueryString("langsmith_deployments", "project", null, "2025-01-01T00:00:00Z", "2025-03-01T00:00:00Z", [org.WorkspaceA]);
        var whole = await UsageClient.GetAsync(f.Http, query, org.ApiKey);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.True((await whole.Content.ReadAsByteArrayAsync()).Length > 64 * 1024);

        f.Faults.SlowFor = TimeSpan.FromSeconds(7);
        var faulted = 0;
        var response = await WithFaultsAsync(
            r => Counted(ReadsWindowsAfterJanuary10(r), ref faulted) ? FaultInjectingTransport.Fault.ServerBusy : FaultInjectingTransport.Fault.None,
            () => UsageClient.GetAsync(f.Http, query, org.ApiKey));
        Assert.True(faulted > 0, "no read began after January's usage");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_csv_export_that_started_streaming_is_not_cut_by_the_storage_deadline()
    {
        // 600 projects in January (more than one flush of rows, so the answer has started) and usage in
        // February, whose read is slower than the app's 5 s deadline: the export still ends whole. (With a 1 s
        // deadline, a loaded machine could take longer than that over January alone: the deadline then fires
        // before the first byte, which is a different case.)
        var org = await JanuaryAndFebruaryAsync();
        var (app, http) = await f.StartAppAsync(new Dictionary<string, string> { ["Beacon:StorageDeadline"] = "00:00:05" });
        await using var stopped = app; // its background loops stop with the test
        var export = ExportOf(org);

        f.Faults.SlowFor = TimeSpan.FromSeconds(7);
        var slowed = 0;
        var response = await WithFaultsAsync(
            r => Counted(ReadsWindowsAfterJanuary10(r), ref slowed) ? FaultInjectingTransport.Fault.Slow : FaultInjectingTransport.Fault.None,
            async () =>
            {
                try
                {
                    var answer = await UsageClient.GetAsync(http, export, org.ApiKey);
                    await answer.Content.LoadIntoBufferAsync(); // the whole body, while the February read is slow
                    return answer;
                }
                finally
                {
                    f.Faults.SlowFor = TimeSpan.FromSeconds(2);
                }
            });

        Assert.True(slowed > 0, "no read began after January's usage");
        await AssertWholeAsync(response);
    }

    [Fact]
    public async Task A_deadline_that_passes_just_as_an_export_starts_streaming_neither_cuts_it_nor_lets_it_start_then_fail()
    {
        // The deadline passes at the export's first byte, when no storage call is in flight to notice it (600 rows
        // of January are formatted, then February is read after the answer has started). Either the answer starts
        // and the deadline no longer applies, or it does not start: here the export's gate starts it first, so the
        // deadline that passes right after cuts nothing and the file ends whole. (Before, the deadline cancelled the
        // token just before the answer started, and February's read then broke the download.)
        var org = await JanuaryAndFebruaryAsync();
        var deadline = TimeSpan.FromSeconds(30);
        var timers = new ManualTimers(f.Clock);
        int hooked = 0;
        var (app, http) = await f.StartAppAsync(new Dictionary<string, string> { ["Beacon:StorageDeadline"] = "00:00:30" }, s =>
        {
            s.AddSingleton<TimeProvider>(timers);
            s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new FirstByteHook(() =>
            {
                Interlocked.Increment(ref hooked);
                timers.Fire(deadline); // the export's deadline passes now, if it still can
            }));
        });
        await using var stopped = app;
        var export = ExportOf(org);

        var laterReads = 0;
        var response = await WithFaultsAsync(
            r => { Counted(ReadsWindowsAfterJanuary10(r), ref laterReads); return FaultInjectingTransport.Fault.None; }, // counted, not faulted
            async () =>
            {
                var answer = await UsageClient.GetAsync(http, export, org.ApiKey);
                await answer.Content.LoadIntoBufferAsync();
                return answer;
            });

        Assert.Equal(1, hooked); // the deadline was made to pass at the first byte
        Assert.True(laterReads > 0, "no read began after January's usage"); // so one was made after the answer started
        await AssertWholeAsync(response);
    }

    /// <summary>
    /// A read of raw windows that begins after January 10th, where the tests' January usage is: the query reads about a
    /// month of buckets at a time, so the one that begins on January 29th comes after January's rows are written.
    /// </summary>
    private static bool ReadsWindowsAfterJanuary10(Azure.Core.Request r) =>
        r.Method == Azure.Core.RequestMethod.Get && r.Uri.Path.Contains("UsageWindows", StringComparison.Ordinal)
        && System.Text.RegularExpressions.Regex.Match(r.Uri.Query, "%7C(2025[0-9]{4})") is { Success: true } m
        && string.CompareOrdinal(m.Groups[1].Value, "20250110") > 0;

    private static bool Counted(bool matches, ref int count)
    {
        if (matches) Interlocked.Increment(ref count);
        return matches;
    }

    /// <summary>600 projects' usage in January (more than one flush of CSV rows) and one project's in February.</summary>
    private async Task<TestOrg> JanuaryAndFebruaryAsync()
    {
        var org = await f.NewOrgAsync();
        var windows = Enumerable.Range(0, 600).Select(i => (At: new DateTimeOffset(2025, 1, 10, 9, 0, 0, TimeSpan.Zero).AddSeconds(i), Project: $"project-{i:D3}"))
            .Concat(Enumerable.Range(0, 20).Select(i => (At: new DateTimeOffset(2025, 2, 10, 9, 0, 0, TimeSpan.Zero).AddSeconds(i), Project: "busy")));
        await Parallel.ForEachAsync(windows, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (w, _) =>
            Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, w.At, w.At.AddSeconds(1), 1, 1, org.WorkspaceA, w.Project))).StatusCode));
        return org;
    }

    private static string ExportOf(TestOrg org) =>
        "/api/v1/orgs/current/billing/granular-usage/export?" + UsageClient.QueryString("langsmith_deployments", "project", null, "2025-01-01T00:00:00Z", "2025-03-01T00:00:00Z", [org.WorkspaceA]);

    /// <summary>The whole file: header, January's 600 projects, February's one.</summary>
    private static async Task AssertWholeAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 600 + 1, lines.Length);
        Assert.Contains(lines, l => l.Contains("busy", StringComparison.Ordinal));
    }

    /// <summary>Runs <paramref name="onFirstByte"/> when an answer's first byte reaches the server, before it is sent (the app's own <see cref="Beacon.Api.Http.FirstWriteGate"/>, outermost).</summary>
    private sealed class FirstByteHook(Action onFirstByte) : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                context.Response.Body = new Beacon.Api.Http.FirstWriteGate(context.Response.Body, onFirstByte);
                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
