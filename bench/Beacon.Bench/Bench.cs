using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Beacon.Domain.Credentials;
using Beacon.Domain.Meters;
using Beacon.Domain.Query;
using Beacon.Domain.Usage;
using Beacon.FunctionsHost;
using Beacon.Hosting;
using Azure.Data.Tables;
using Beacon.Storage.Account;
using Beacon.Storage.Maintenance;
using Beacon.Storage.Query;
using Beacon.Storage.Rollups;
using Beacon.Storage.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Beacon.Bench;

/// <summary>The benchmark scenarios. Each returns the figures it measured.</summary>
internal sealed partial class Bench(string connectionString, bool quick, Action<string> log)
{
    private const int Concurrency = 32;

    private async Task<(WebApplication App, HttpClient Http)> StartAppAsync()
    {
        var app = BeaconApp.Build([
            "--urls=http://127.0.0.1:0", $"--AzureWebJobsStorage={connectionString}", "--Beacon:RunScheduler=false",
            "--Beacon:RateLimitBurst=1000000", "--Beacon:RateLimitPerSecond=1000000", "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        // Tables are created before the first request that needs them; the scenarios also use the stores directly.
        await app.Services.GetRequiredService<Beacon.Hosting.StorageReadiness>().EnsureAsync(CancellationToken.None);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency }) { BaseAddress = new Uri(address) };
        return (app, http);
    }

    /// <summary>
    /// Submissions per second through the full HTTP stack at concurrency 32, divided by the rate of the
    /// same number of single-entity inserts sent straight to Azurite at the same concurrency (the floor
    /// for one write per request). The raw rate is the mean of a run before and a run after, because
    /// Azurite slows down a little as it fills.
    /// </summary>
    public async Task<object> SubmitAsync()
    {
        int n = quick ? 3_000 : 20_000;
        var (app, http) = await StartAppAsync();
        await using var _ = app;
        var directory = app.Services.GetRequiredService<DirectoryStore>();
        var org = await directory.CreateOrgAsync("bench-submit");
        var ws = Guid.NewGuid().ToString();
        await directory.CreateWorkspaceAsync(org.OrgId, ws, "Bench");
        var (license, _) = await app.Services.GetRequiredService<CredentialStore>().CreateLicenseAsync(org.OrgId, "enterprise", null, []);
        var project = Guid.NewGuid().ToString();
        var today = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero);
        string Body(int i) => JsonBodies.Window(license, today.AddTicks(i * 10L), today.AddTicks(i * 10L + 3_000_000_000), i % 500, i % 1500, ws, project);

        await RunConcurrentAsync(200, async i => await PostAsync(http, Body(n + i))); // warm-up: caches, connections, JIT
        // The floor: the same SDK, the same pipeline settings, one insert per request.
        var table = app.Services.GetRequiredService<StorageAccount>().TableService.GetTableClient("BenchRawWrites");
        await table.CreateIfNotExistsAsync();
        await RunConcurrentAsync(200, async i => await table.AddEntityAsync(RawEntity("warm", $"{i}")));

        var rawBefore = await RunConcurrentAsync(n, async i => await table.AddEntityAsync(RawEntity("before", $"{i:D8}")));
        var bodies = Enumerable.Range(0, n).Select(Body).ToArray();
        var submit = await RunConcurrentAsync(n, async i => await PostAsync(http, bodies[i]));
        var rawAfter = await RunConcurrentAsync(n, async i => await table.AddEntityAsync(RawEntity("after", $"{i:D8}")));

        double submitRate = n / submit.TotalSeconds, rawRate = 2 * n / (rawBefore + rawAfter).TotalSeconds;
        log($"submit: {submitRate:F0}/s through HTTP vs {rawRate:F0}/s raw inserts ({n} each, concurrency {Concurrency}) → ratio {submitRate / rawRate:F2}");
        return new { requests = n, concurrency = Concurrency, submit_per_second = Math.Round(submitRate), raw_writes_per_second = Math.Round(rawRate), ratio = Math.Round(submitRate / rawRate, 2), target = ">= 0.8" };
    }

    /// <summary>
    /// Trace transactions per second through the full HTTP stack at 1,000 per request (the most a request
    /// may carry), divided by the rate of entity-group batch inserts of the same number of entities sent
    /// straight to Azurite (100 per batch, the most a batch may hold), both 8 at a time. Beacon writes
    /// each transaction twice (the forever claim of its id, then its day record); the target is 0.4.
    /// </summary>
    public async Task<object> IngestTracesAsync()
    {
        const int perRequest = 1_000, inFlight = 8;
        int requests = quick ? 16 : 100, n = requests * perRequest;
        var (app, http) = await StartAppAsync();
        await using var _ = app;
        var directory = app.Services.GetRequiredService<DirectoryStore>();
        var org = await directory.CreateOrgAsync("bench-traces");
        var ws = Guid.NewGuid().ToString();
        await directory.CreateWorkspaceAsync(org.OrgId, ws, "Bench");
        var (license, _) = await app.Services.GetRequiredService<CredentialStore>().CreateLicenseAsync(org.OrgId, "enterprise", null, []);
        var sessions = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var now = DateTimeOffset.UtcNow;
        string Body(int request) => JsonBodies.Traces(license, Enumerable.Range(0, perRequest).Select(i =>
            (Guid.NewGuid().ToString(), ws, sessions[i % sessions.Length], 1 + i % 40, now.AddSeconds(-i % 600))));

        await RunConcurrentAsync(2, async i => await PostTracesAsync(http, Body(i)), inFlight); // warm-up
        var table = app.Services.GetRequiredService<StorageAccount>().TableService.GetTableClient("BenchRawBatches");
        await table.CreateIfNotExistsAsync();
        var batches = Enumerable.Range(0, n / 100).Select(b => Enumerable.Range(0, 100)
            .Select(i => new TableTransactionAction(TableTransactionActionType.Add, RawEntity($"raw|{b % 64}", $"{b:D6}-{i:D3}"))).ToList()).ToList();
        var bodies = Enumerable.Range(0, requests).Select(Body).ToArray();

        var raw = await RunConcurrentAsync(batches.Count, async i => await table.SubmitTransactionAsync(batches[i]), inFlight);
        var ingest = await RunConcurrentAsync(requests, async i => await PostTracesAsync(http, bodies[i]), inFlight);

        double ingestRate = n / ingest.TotalSeconds, rawRate = n / raw.TotalSeconds;
        log($"ingest-traces: {ingestRate:F0} transactions/s through HTTP vs {rawRate:F0} entities/s raw batch inserts ({n} each, {inFlight} in flight) → ratio {ingestRate / rawRate:F2}");
        return new
        {
            transactions = n, per_request = perRequest, in_flight = inFlight, transactions_per_second = Math.Round(ingestRate),
            raw_batch_entities_per_second = Math.Round(rawRate), ratio = Math.Round(ingestRate / rawRate, 2), target = ">= 0.4",
        };
    }

    private static async Task PostTracesAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync("/v1/beacon/ingest-traces", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"ingest-traces answered {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>An entity shaped like a stored usage window, for the raw-write floor.</summary>
    private static TableEntity RawEntity(string pk, string rk) => new(pk, rk)
    {
        ["workspace_id"] = "3a1c2b6f-4430-4b92-8a5b-79b8b567bbc1", ["project_id"] = "c5b5f53a-4716-4326-8967-d4f7f7799735",
        ["from_us"] = 1L, ["to_us"] = 2L, ["runs"] = 3L, ["nodes"] = 4L, ["days"] = "[[\"20260310\",3,4,300000000]]",
        ["user_id"] = "", ["api_key_short_key"] = "", ["credential"] = "license:0f0e9d3c-7b1a-4c61-9d7e-4f7c35d5a0b1", ["host_kind"] = "self-hosted",
        ["measures"] = "{}", ["log_count"] = 0, ["received_at"] = DateTimeOffset.UtcNow,
        ["tags"] = "{\"langgraph.python.version\":\"3.11.7\",\"langgraph.platform.host\":\"self-hosted\",\"langgraph.platform.tenant_id\":\"3a1c2b6f-4430-4b92-8a5b-79b8b567bbc1\"}",
    };

    private static async Task PostAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync("/v1/metadata/submit", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        if (response.StatusCode != HttpStatusCode.NoContent) throw new InvalidOperationException($"submit answered {response.StatusCode}");
    }

    private static async Task<TimeSpan> RunConcurrentAsync(int count, Func<int, Task> work, int concurrency = Concurrency)
    {
        int next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < count;) await work(i);
        }));
        return watch.Elapsed;
    }

    /// <summary>
    /// Table entities read by a 365-day query grouped by project (200 projects in 20 workspaces, a year
    /// of windows) with rollups, divided by the same query without them, counted by the storage client
    /// (a deterministic figure). Both answers must be equal. The ratio is roughly (blocks a year of
    /// 30-day buckets needs, ~104) ÷ (raw windows per project per year), so it is reported at two
    /// densities: four 6-hour windows per project per day (one crossing midnight) — the headline, still
    /// 72 times sparser than the real client, which reports every 5 minutes per replica — and one 8-hour
    /// window per day, to show the dependence. (Real density, 21M windows a year, does not fit in an
    /// in-memory Azurite, whose queries slow down more than linearly as a table grows.)
    /// </summary>
    public async Task<object> QueryAsync()
    {
        var fourPerDay = await QueryAsync(windowMinutes: 6 * 60, offsetMinutes: 30);
        var onePerDay = await QueryAsync(windowMinutes: 24 * 60, offsetMinutes: 20 * 60, lengthMinutes: 8 * 60);
        return new { four_windows_per_day = fourPerDay, one_window_per_day = onePerDay };
    }

    private async Task<object> QueryAsync(int windowMinutes, int offsetMinutes, int? lengthMinutes = null)
    {
        int projects = quick ? 40 : 200, workspaces = quick ? 4 : 20, days = 365;
        var (app, _) = await StartAppAsync();
        await using var __ = app;
        var s = app.Services;
        var directory = s.GetRequiredService<DirectoryStore>();
        var org = await directory.CreateOrgAsync($"bench-query-{windowMinutes}");
        var wsIds = Enumerable.Range(0, workspaces).Select(_ => Guid.NewGuid().ToString()).ToList();
        foreach (var (w, i) in wsIds.Select((w, i) => (w, i))) await directory.CreateWorkspaceAsync(org.OrgId, w, $"Workspace {i}");
        var projectIds = Enumerable.Range(0, projects).Select(_ => Guid.NewGuid().ToString()).ToList();
        foreach (var (p, i) in projectIds.Select((p, i) => (p, i))) await directory.NameProjectAsync(org.OrgId, p, $"Project {i}");

        var end = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero).AddDays(-1);
        var start = end.AddDays(-days);
        var watch = Stopwatch.StartNew();
        long windows = await BulkLoadAsync(s, org.OrgId, start, end, windowMinutes, offsetMinutes, lengthMinutes ?? windowMinutes, wsIds, projectIds);
        log($"query: loaded {windows} windows ({windowMinutes}-minute cadence) in {watch.Elapsed.TotalSeconds:F0} s");

        var options = new RollupOptions { Grace = TimeSpan.Zero, StageExports = false };
        var run = ActivatorUtilities.CreateInstance<MaintenanceRun>(s, options, ActivatorUtilities.CreateInstance<RollupJob>(s, options));
        watch.Restart();
        await run.RunAsync(onlyOrg: org.OrgId);
        var rollupSeconds = watch.Elapsed.TotalSeconds;
        log($"query: rollup of the year took {rollupSeconds:F1} s");

        var engine = s.GetRequiredService<UsageQueryEngine>();
        var metrics = s.GetRequiredService<StorageAccount>().Metrics;
        var defaultWorkspace = (await directory.GetDefaultWorkspaceAsync(org.OrgId))!;
        var query = new UsageQuery(UsageKind.Deployments, GroupBy.Project, null, Micros(end.AddDays(-365)), Micros(end.AddDays(1)), [.. wsIds.Order(StringComparer.Ordinal)]);

        async Task<(long Entities, long Requests, TimeSpan Time, List<UsageRecord> Rows)> Measure(RollupCoverage coverage)
        {
            metrics.Reset();
            var t = Stopwatch.StartNew();
            var rows = await engine.RunAsync(org.OrgId, query, coverage, defaultWorkspace).ToListAsync();
            return (metrics.EntitiesRead, metrics.Requests, t.Elapsed, rows);
        }
        var coverage = await engine.GetCoverageAsync(org.OrgId, defaultWorkspace);
        var without = await Measure(RollupCoverage.None);
        var with = await Measure(coverage);
        if (!without.Rows.SequenceEqual(with.Rows)) throw new InvalidOperationException("the answers with and without rollups differ");

        double ratio = (double)with.Entities / without.Entities;
        log($"query: {with.Entities} entities with rollups vs {without.Entities} without → ratio {ratio:F4} ({with.Time.TotalMilliseconds:F0} ms vs {without.Time.TotalMilliseconds:F0} ms)");
        return new
        {
            projects, workspaces, windows, rows = with.Rows.Count,
            entities_with_rollups = with.Entities, entities_without = without.Entities, ratio = Math.Round(ratio, 4), target = "<= 0.1",
            requests_with_rollups = with.Requests, requests_without = without.Requests,
            ms_with_rollups = Math.Round(with.Time.TotalMilliseconds), ms_without = Math.Round(without.Time.TotalMilliseconds),
            rollup_seconds = Math.Round(rollupSeconds, 1),
        };
    }

    /// <summary>
    /// Writes a year of windows the way WindowStore stores them (same entity builder, span pointers for
    /// windows crossing midnight, one dirty mark as late writers leave), in batches per day partition:
    /// loading millions of windows one request at a time would take longer than the measurement.
    /// </summary>
    private static async Task<long> BulkLoadAsync(IServiceProvider s, string orgId, DateTimeOffset start, DateTimeOffset end,
        int everyMinutes, int offsetMinutes, int lengthMinutes, List<string> wsIds, List<string> projectIds)
    {
        var tables = s.GetRequiredService<Tables>();
        var now = DateTimeOffset.UtcNow;
        await s.GetRequiredService<DirtyDayStore>().MarkAsync(orgId, [(DateOnly.FromDateTime(start.UtcDateTime), DateOnly.FromDateTime(end.UtcDateTime))], now);
        var reporter = Reporter.ForLicense(Guid.NewGuid().ToString());
        var noTags = new Dictionary<string, string>();
        var noMeasures = new Dictionary<string, double>();
        long count = 0;
        for (var day = start; day < end; day = day.AddDays(1))
        {
            var windows = new List<TableEntity>();
            var spans = new List<TableEntity>();
            for (int p = 0; p < projectIds.Count; p++)
            {
                for (var from = day.AddMinutes(offsetMinutes % everyMinutes); from < day.AddDays(1); from = from.AddMinutes(everyMinutes))
                {
                    var to = from.AddMinutes(lengthMinutes);
                    var report = new UsageReport(wsIds[p % wsIds.Count], projectIds[p], Micros(from), Micros(to), 3 + p % 5, 9 + p % 11, noTags, noMeasures, "[]", 0);
                    var shares = report.SplitByDay();
                    var pk = WindowStore.PartitionOf(orgId, shares[0].Day);
                    var rk = WindowStore.RowOf(report.WorkspaceId, report.ProjectId, report.FromMicros);
                    var e = WindowStore.ToEntity(pk, rk, report, reporter, now);
                    e["tags"] = "{}";
                    windows.Add(e);
                    if (shares.Count > 1)
                        spans.Add(new TableEntity(orgId, $"{Domain.Time.Timestamps.DayKey(shares[^1].Day)}|{Domain.Time.Timestamps.DayKey(shares[0].Day)}|{rk}")
                        {
                            ["first_day"] = Domain.Time.Timestamps.DayKey(shares[0].Day), ["window_pk"] = pk, ["window_rk"] = rk,
                        });
                }
            }
            await tables.UsageWindows.SubmitInBatchesAsync(windows.Select(w => new TableTransactionAction(TableTransactionActionType.UpsertReplace, w)), default, 16);
            await tables.WindowSpans.SubmitInBatchesAsync(spans.Select(w => new TableTransactionAction(TableTransactionActionType.UpsertReplace, w)), default, 16);
            count += windows.Count;
        }
        return count;
    }

    /// <summary>
    /// Memory while the export endpoint streams a 1,000,000-row CSV (31 daily buckets × 32,259 projects; a tenth with --quick,
    /// served from daily rollup cells) to a client that reads and discards it: the peak *live* managed heap
    /// (sampled after a forced full collection, every 100 ms while streaming) and the bytes allocated per row.
    /// </summary>
    public async Task<object> ExportAsync()
    {
        // 1,000,029 rows in a full run; --quick streams a tenth of that, so a smoke run finishes in minutes.
        int projects = quick ? 3_226 : 32_259, days = 31;
        var (app, http) = await StartAppAsync();
        await using var __ = app;
        var s = app.Services;
        var directory = s.GetRequiredService<DirectoryStore>();
        var org = await directory.CreateOrgAsync("bench-export");
        var ws = Guid.NewGuid().ToString();
        await directory.CreateWorkspaceAsync(org.OrgId, ws, "Exports");
        var (key, _) = await s.GetRequiredService<CredentialStore>().CreateApiKeyAsync(org.OrgId, null, [ApiKeyRecord.OrganizationRead], null);
        var projectIds = Enumerable.Range(0, projects).Select(i => $"project-{i:D6}").ToList();
        var first = new DateOnly(2026, 1, 5);
        var rollups = s.GetRequiredService<RollupStore>();
        var watch = Stopwatch.StartNew();
        for (int d = 0; d < days; d++)
        {
            var day = first.AddDays(d);
            var cells = new Dictionary<DateOnly, List<UsageCell>> { [day] = [.. projectIds.Select((p, i) => new UsageCell(new CellKey(ws, p, "", "", "", null), Values(1 + i % 7, 10 + d, 3_600_000_000, 60)))] };
            await rollups.ReplacePeriodsAsync(org.OrgId, UsageKind.Deployments, BlockSize.Day, day, day.AddDays(1), cells);
        }
        await rollups.TrySaveProgressAsync(org.OrgId, new RollupProgress(first, first.AddDays(days - 1), 1, null, 0, default) { DefaultWorkspace = org.DefaultWorkspaceId! }, null);
        log($"export: loaded {projects * days} daily cells in {watch.Elapsed.TotalSeconds:F0} s");

        var url = $"/api/v1/orgs/current/billing/granular-usage/export?kind=langsmith_deployments&group_by=project&start_time={first:yyyy-MM-dd}&end_time={first.AddDays(days):yyyy-MM-dd}&workspace_ids={ws}";
        long baseline = GC.GetTotalMemory(forceFullCollection: true), peak = baseline;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                // Live bytes only: what a full collection cannot free while the export is streaming.
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                await Task.Delay(100);
            }
        });
        watch.Restart();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Api-Key", key);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        long lines = 0, bytes = 0;
        var buffer = new byte[64 * 1024];
        await using (var stream = await response.Content.ReadAsStreamAsync())
        {
            for (int n; (n = await stream.ReadAsync(buffer)) > 0;)
            {
                bytes += n;
                lines += buffer.AsSpan(0, n).Count((byte)'\n');
            }
        }
        var elapsed = watch.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long rows = lines - 1;
        double peakMiB = peak / 1048576.0, growthMiB = (peak - baseline) / 1048576.0;
        log($"export: {rows} rows, {bytes / 1048576.0:F0} MiB in {elapsed.TotalSeconds:F1} s; peak live heap {peakMiB:F1} MiB ({growthMiB:F1} MiB over the {baseline / 1048576.0:F1} MiB before); {allocated / (double)rows:F0} bytes allocated per row");
        return new
        {
            rows, mib = Math.Round(bytes / 1048576.0, 1), seconds = Math.Round(elapsed.TotalSeconds, 1),
            live_heap_before_mib = Math.Round(baseline / 1048576.0, 1), peak_live_heap_mib = Math.Round(peakMiB, 1), peak_live_heap_growth_mib = Math.Round(growthMiB, 1),
            allocated_bytes_per_row = Math.Round(allocated / (double)rows), target = "peak live heap < 32 MiB",
        };
    }

    /// <summary>
    /// Start-up, median of 5 each: the deployable <c>beacon serve</c> (self-contained composite ReadyToRun,
    /// published once) from process start to its first 200 (GET /api/v1/meters, which needs no storage) and
    /// then to its first 200 from GET /health (which reads storage: the price of the first storage answer); and the
    /// published isolated worker, driven by the Functions host double, from process start to ready for
    /// invocations (every function loaded) and to its first 200 through the host.
    /// </summary>
    public async Task<object> ColdStartAsync()
    {
        var serveFolder = await PublishedApp.ServeAsync();
        var serve = new List<double>();
        var serveHealth = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            int port = FreePort();
            var psi = new ProcessStartInfo(Path.Combine(serveFolder, "beacon")) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "serve", $"--urls=http://127.0.0.1:{port}" }) psi.ArgumentList.Add(a);
            psi.Environment["AzureWebJobsStorage"] = connectionString;
            psi.Environment["Beacon__RunScheduler"] = "false";
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(psi)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            using var client = new HttpClient();
            // The first 200 of an answer that needs no storage (the meter catalog), then of /health, which reads storage.
            foreach (var (path, times) in new[] { ("/api/v1/meters", serve), ("/health", serveHealth) })
            {
                while (true)
                {
                    try
                    {
                        if ((await client.GetAsync($"http://127.0.0.1:{port}{path}")).IsSuccessStatusCode) break;
                    }
                    catch (HttpRequestException)
                    {
                        // not listening yet
                    }
                    await Task.Delay(5);
                }
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var (workerFolder, _) = await PublishedApp.WorkerAsync();
        var ready = new List<double>();
        var firstAnswer = new List<double>();
        var settings = new Dictionary<string, string> { ["AzureWebJobsStorage"] = connectionString };
        for (int i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            await using var host = await FunctionsHostDouble.StartAsync(workerFolder, settings);
            ready.Add(host.StartedIn.TotalMilliseconds);
            var (health, _) = await host.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/health"));
            if (!health.IsSuccessStatusCode) throw new InvalidOperationException($"the worker answered /health with {health.StatusCode}");
            firstAnswer.Add(watch.Elapsed.TotalMilliseconds);
        }
        static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        log($"cold start: serve median {Median(serve):F0} ms to the first 200 (runs: {string.Join(", ", serve.Select(t => t.ToString("F0")))}), {Median(serveHealth):F0} ms to /health's; "
            + $"worker median {Median(ready):F0} ms to ready for invocations, {Median(firstAnswer):F0} ms to its first 200 through the host");
        return new
        {
            serve_median_ms = Math.Round(Median(serve)), serve_runs_ms = serve.Select(t => Math.Round(t)), serve_target = "<= 250 ms",
            serve_first_storage_200_median_ms = Math.Round(Median(serveHealth)), serve_first_storage_200_runs_ms = serveHealth.Select(t => Math.Round(t)),
            worker_ready_median_ms = Math.Round(Median(ready)), worker_ready_runs_ms = ready.Select(t => Math.Round(t)),
            worker_first_200_median_ms = Math.Round(Median(firstAnswer)),
        };
    }

    private static long Micros(DateTimeOffset t) => Beacon.Domain.Time.Timestamps.FromDateTimeOffset(t);

    /// <summary>A deployment cell's values, slot by slot of the catalog (distinct minutes the same at every scope).</summary>
    private static MeterValues Values(long runs, long nodes, long uptimeMicros, long standbyMinutes) =>
        new([.. MeterCatalog.Default.Slots.Select(slot => slot.Meter.Name switch
        {
            "agent_runs" => (Int128)runs,
            "nodes_executed" => nodes,
            "agent_uptime_seconds" => uptimeMicros,
            "standby_minutes" => standbyMinutes,
            _ => 0,
        })]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
