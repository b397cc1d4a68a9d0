using System.Net;
using System.Text.Json;
using Beacon.Storage.Rollups;
using Beacon.Testing;

namespace Beacon.Tests.Usage;

/// <summary>
/// The whole service under storage faults (SPEC §9): 30 % of storage requests answered 503 and 5 %
/// committed with their answer lost, while 8 replicas report like the real client (on any failure the
/// window is merged into the next one; now and then a late stale copy) and 2 trace clients send
/// batches with 20 % repeated ids (resending a batch until it is acknowledged). After a drain without
/// faults, every billed number equals the clients' own ground truth; queries and rollups under faults
/// answer 503 or exactly the faults-off answer; nothing is ever a 500.
/// </summary>
[Collection(BeaconCollection.Name)]
[Trait("Tier", "Slow")] // fault runs
public sealed class FaultRunTests(NoFleetWriterFixture f)
{
    private const int Replicas = 8, WindowsPerReplica = 12, TraceClients = 2, BatchesPerClient = 6, BatchSize = 40;

    private readonly List<HttpStatusCode> _statuses = [];

    private async Task<HttpStatusCode?> SendAsync(string path, string body)
    {
        try
        {
            var status = (await f.PostJsonAsync(path, body)).StatusCode;
            lock (_statuses) _statuses.Add(status);
            return status;
        }
        catch (HttpRequestException)
        {
            return null; // a broken connection is a failure like any other to the client
        }
    }

    private sealed class Replica(int index, DateTimeOffset start)
    {
        public long Runs, Nodes, UptimeSeconds;
        public (DateTimeOffset From, DateTimeOffset To, long Runs, long Nodes)? Pending;
        public readonly List<(DateTimeOffset From, DateTimeOffset To, long Runs, long Nodes)> Acknowledged = [];
        public DateTimeOffset WindowStart(int i) => start.AddMinutes(5 * i).AddTicks(10 * (index + 1)); // distinct keys per replica
    }

    [Fact]
    public async Task Under_throttling_and_lost_answers_every_billed_number_ends_exact_and_no_answer_is_wrong()
    {
        var org = await f.NewOrgAsync();
        var day = new DateTimeOffset(f.Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(-2);
        var random = new Random(20261123);
        var replicas = Enumerable.Range(0, Replicas).Select(i => new Replica(i, day.AddHours(1))).ToList();
        var sentTraces = new Dictionary<string, long>();
        var batches = new List<List<object>>();
        for (int c = 0; c < TraceClients * BatchesPerClient; c++)
        {
            var batch = new List<object>();
            for (int i = 0; i < BatchSize; i++)
            {
                if (sentTraces.Count > 0 && random.NextDouble() < 0.2)
                {
                    var (id, count) = sentTraces.ElementAt(random.Next(sentTraces.Count)); // a repeated id: same transaction again
                    batch.Add(Payloads.Transaction(id, org.WorkspaceA, "traced", count, day.AddHours(3)));
                    continue;
                }
                var fresh = Guid.NewGuid().ToString();
                sentTraces[fresh] = random.Next(1, 50);
                batch.Add(Payloads.Transaction(fresh, org.WorkspaceA, "traced", sentTraces[fresh], day.AddHours(3).AddMinutes(random.Next(0, 600))));
            }
            batches.Add(batch);
        }
        var randoms = replicas.Select((_, i) => new Random(i)).ToList();

        // 1. Faults on: clients report.
        f.Faults.Set(_ => Random.Shared.NextDouble() switch
        {
            < 0.05 => FaultInjectingTransport.Fault.CommitUnknown,
            < 0.35 => FaultInjectingTransport.Fault.ServerBusy,
            _ => FaultInjectingTransport.Fault.None,
        });
        try
        {
            var replicaRuns = replicas.Select((r, ri) => Task.Run(async () =>
            {
                var rnd = randoms[ri];
                for (int i = 0; i < WindowsPerReplica; i++)
                {
                    long runs = rnd.Next(0, 30), nodes = rnd.Next(0, 200);
                    (r.Runs, r.Nodes, r.UptimeSeconds) = (r.Runs + runs, r.Nodes + nodes, r.UptimeSeconds + 300);
                    (DateTimeOffset From, DateTimeOffset To, long Runs, long Nodes) window = r.Pending is { } p
                        ? (p.From, r.WindowStart(i + 1), p.Runs + runs, p.Nodes + nodes) // the client merges a failed window into the next
                        : (r.WindowStart(i), r.WindowStart(i + 1), runs, nodes);
                    var status = await SendAsync("/v1/beacon/metadata/submit", Payloads.CurrentClientWindow(window.From, window.To, window.Runs, window.Nodes, licenseKey: org.LicenseKey, tenant: org.WorkspaceA, project: "agent"));
                    if (status == HttpStatusCode.NoContent)
                    {
                        r.Pending = null;
                        r.Acknowledged.Add(window);
                    }
                    else r.Pending = window;
                    if (r.Acknowledged.Count > 1 && rnd.NextDouble() < 0.1)
                    {
                        // A late, stale copy of an earlier window (e.g. a slow retry): an older to_timestamp for its key.
                        var old = r.Acknowledged[rnd.Next(r.Acknowledged.Count - 1)];
                        await SendAsync("/v1/beacon/metadata/submit", Payloads.CurrentClientWindow(old.From, old.From.AddMinutes(1), 0, 0, licenseKey: org.LicenseKey, tenant: org.WorkspaceA, project: "agent"));
                    }
                }
            })).ToList();
            var traceRuns = Enumerable.Range(0, TraceClients).Select(c => Task.Run(async () =>
            {
                for (int b = c; b < batches.Count; b += TraceClients)
                    for (int attempt = 0; attempt < 5 && await SendAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, batches[b])) != HttpStatusCode.OK; attempt++) { }
            })).ToList();
            await Task.WhenAll(replicaRuns.Concat(traceRuns));
        }
        finally
        {
            f.Faults.Set(null);
        }

        // 2. Drain without faults: pending windows and unacknowledged batches go through.
        foreach (var r in replicas.Where(r => r.Pending is not null))
        {
            var p = r.Pending!.Value;
            Assert.Equal(HttpStatusCode.NoContent, await SendAsync("/v1/beacon/metadata/submit", Payloads.CurrentClientWindow(p.From, p.To, p.Runs, p.Nodes, licenseKey: org.LicenseKey, tenant: org.WorkspaceA, project: "agent")));
        }
        foreach (var batch in batches) Assert.Equal(HttpStatusCode.OK, await SendAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, batch)));

        var range = (Start: UsageModel.Iso(day.AddDays(-1)), End: UsageModel.Iso(day.AddDays(2)));
        string Query(string kind) => "/api/v1/orgs/current/billing/granular-usage?" + UsageClient.QueryString(kind, "workspace", null, range.Start, range.End, [org.WorkspaceA]);
        var (_, deployments) = await UsageClient.QueryAsync(f.Http, org.ApiKey, Query("langsmith_deployments").Split('?')[1], "workspace");
        var (_, traces) = await UsageClient.QueryAsync(f.Http, org.ApiKey, Query("traces").Split('?')[1], "workspace");
        Assert.Equal(replicas.Sum(r => r.Runs), deployments.Sum(r => r.Runs));
        Assert.Equal(replicas.Sum(r => r.Nodes), deployments.Sum(r => r.Nodes));
        Assert.Equal(replicas.Sum(r => r.UptimeSeconds), deployments.Sum(r => r.Uptime));
        Assert.Equal(sentTraces.Values.Sum(), traces.Sum(r => r.Traces));
        var reference = new Dictionary<string, string>
        {
            ["langsmith_deployments"] = await (await UsageClient.GetAsync(f.Http, Query("langsmith_deployments"), org.ApiKey)).Content.ReadAsStringAsync(),
            ["traces"] = await (await UsageClient.GetAsync(f.Http, Query("traces"), org.ApiKey)).Content.ReadAsStringAsync(),
        };

        // 3. Faults on again: a rollup runs while queries are answered; each is 503 or exactly the reference.
        var options = new RollupOptions { StageExports = false, Grace = TimeSpan.Zero, StepAttempts = 2, StepRetryDelay = TimeSpan.FromMilliseconds(5) };
        f.Faults.Set(_ => Random.Shared.NextDouble() switch
        {
            < 0.05 => FaultInjectingTransport.Fault.CommitUnknown,
            < 0.35 => FaultInjectingTransport.Fault.ServerBusy,
            _ => FaultInjectingTransport.Fault.None,
        });
        int answered = 0;
        try
        {
            var rollups = Task.Run(async () =>
            {
                for (int i = 0; i < 3; i++)
                {
                    try { await f.Run(options).RunAsync(onlyOrg: org.OrgId); }
                    // A run may stop at any storage fault (the next one redoes its work); when every retry of one call
                    // failed, the SDK reports them together as an AggregateException.
                    catch (Exception e) when (IsStorageFault(e) || e is AggregateException a && a.InnerExceptions.All(IsStorageFault)) { }
                }
            });
            for (int q = 0; q < 24; q++)
            {
                var kind = q % 2 == 0 ? "langsmith_deployments" : "traces";
                var response = await UsageClient.GetAsync(f.Http, Query(kind), org.ApiKey);
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"query answered {response.StatusCode}");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Assert.Equal(reference[kind], await response.Content.ReadAsStringAsync());
                    answered++;
                }
            }
            await rollups;
        }
        finally
        {
            f.Faults.Set(null);
        }

        // 4. Faults off: a clean rollup, and the answers have not moved.
        await f.Run(options).RunAsync(onlyOrg: org.OrgId);
        foreach (var (kind, expected) in reference)
            Assert.Equal(expected, await (await UsageClient.GetAsync(f.Http, Query(kind), org.ApiKey)).Content.ReadAsStringAsync());
        Assert.DoesNotContain(HttpStatusCode.InternalServerError, _statuses);
        Assert.Contains(HttpStatusCode.ServiceUnavailable, _statuses); // the faults did reach the clients
        Assert.True(answered > 0, "no query got through the faults");
    }

    private static bool IsStorageFault(Exception e) =>
        e is Azure.RequestFailedException or IOException or OperationCanceledException or Storage.Account.StorageContentionException;
}
