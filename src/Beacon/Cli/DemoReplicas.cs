using System.Text;
using Beacon.Domain.Usage;

namespace Beacon.Cli;

/// <summary>
/// The live part of the demo that <c>npm start</c> runs: simulated replicas of the demo's deployments report
/// to the running app over HTTP, as the real client does. Every interval (5 minutes, like the client) each
/// replica sends the window since its last accepted one; when a send fails, the next one covers the whole
/// span with the runs added up (the client's retry-merge). The deployment that went quiet in the seeded
/// history stays silent by design, so the console always has one to show. Stops with the app.
/// </summary>
internal sealed class DemoReplicas(HttpClient http, IReadOnlyList<DemoReplicas.Replica> replicas, TimeSpan interval, TimeProvider time, Action<string> log)
{
    public static readonly TimeSpan ClientInterval = TimeSpan.FromMinutes(5);

    /// <summary>One simulated replica: where it reports, with which credential, and what it has not sent yet.</summary>
    public sealed class Replica(string name, string workspace, string project, string credentialField, string credential, double runsPerHour)
    {
        public string Name { get; } = name;
        /// <summary>Where the next window starts: the end of the last accepted one.</summary>
        public DateTimeOffset PendingFrom { get; set; }

        /// <summary>Runs since <see cref="PendingFrom"/> not yet accepted, counted through <see cref="CountedThrough"/>.</summary>
        public long PendingRuns { get; set; }

        public DateTimeOffset CountedThrough { get; set; }

        public string Body(DateTimeOffset from, DateTimeOffset to, long runs) =>
            ClientWindowBody.Format(from, to, runs, runs * 4, workspace, project, credentialField, credential);

        public long RunsBetween(DateTimeOffset from, DateTimeOffset to, Random random) =>
            (long)Math.Round(runsPerHour * (to - from).TotalHours * (0.75 + 0.5 * random.NextDouble()));
    }

    private readonly Random _random = new(5);

    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                await TickAsync(ct);
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Sends each replica's window up to now; returns how many were accepted.</summary>
    public async Task<int> TickAsync(CancellationToken ct)
    {
        int accepted = 0;
        foreach (var r in replicas)
        {
            var to = time.GetUtcNow();
            // A replica's first window covers the interval before it, so the first reports land at once.
            if (r.PendingFrom == default) r.PendingFrom = r.CountedThrough = to - interval;
            r.PendingRuns += r.RunsBetween(r.CountedThrough, to, _random);
            r.CountedThrough = to;
            try
            {
                using var content = new StringContent(r.Body(r.PendingFrom, to, r.PendingRuns), Encoding.UTF8, "application/json");
                using var response = await http.PostAsync("/v1/metadata/submit", content, ct);
                if (response.IsSuccessStatusCode)
                {
                    (r.PendingFrom, r.PendingRuns) = (to, 0);
                    accepted++;
                    continue;
                }
                log($"Demo replica {r.Name}: the submit answered {(int)response.StatusCode}; the next window covers this one too.");
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                // Refused connections and timeouts alike: the demo keeps going, as the client does.
                log($"Demo replica {r.Name}: {e.Message}; the next window covers this one too.");
            }
            // Not sent: the next window starts where this one did and carries its runs (the client's merge).
        }
        return accepted;
    }
}
