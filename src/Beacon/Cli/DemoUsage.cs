using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Domain.Fleet;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;

namespace Beacon.Cli;

/// <summary>
/// The demo's usage over a span of time, shaped like real traffic (weekday peaks, growth since
/// <paramref name="origin"/>, replicas whose 3-hour windows cross midnight, both retention tiers), in
/// the platform client's wire format through the same parsers and stores as the HTTP endpoints. The
/// first seed and every later top-up use it.
/// </summary>
internal sealed class DemoUsage(IServiceProvider services, DemoCast cast, DateTimeOffset origin)
{
    private readonly Random _random = new(90);

    // (name, workspace, replicas, base runs per hour, reporter, hours since it last reported)
    internal IEnumerable<(string Name, string Ws, int Replicas, double RunsPerHour, Reporter Reporter, int SilentHours)> Deployments() =>
    [
        ("Support Agent", cast.Workspaces["Production"], 3, 40, Reporter.ForLicense(cast.LicenseId), 0),
        ("Sales Copilot", cast.Workspaces["Production"], 2, 18, Reporter.ForApiKey(cast.GraceKey), 0),
        ("Code Reviewer", cast.Workspaces["Staging"], 1, 9, Reporter.ForApiKey(cast.GraceKey), 0),
        ("Research Assistant", cast.Workspaces["Research"], 2, 12, Reporter.ForApiKey(cast.LinusKey), 0),
        // Went quiet a few hours ago: the vendor console shows it as silent.
        ("Data Pipeline Agent", cast.Workspaces["Research"], 1, 5, Reporter.ForLicense(cast.LicenseId), 5),
        // A license-only self-hosted deployment (no tenant id configured): it shows in the Default workspace.
        ("Batch Summarizer", "", 1, 4, Reporter.ForLicense(cast.LicenseId), 0),
    ];

    private IEnumerable<(string Name, string Ws, double TracesPerDay, double LongLivedShare)> Sessions() =>
    [
        ("support-agent", cast.Workspaces["Production"], 5200, 0.25),
        ("sales-copilot", cast.Workspaces["Production"], 2100, 0.1),
        ("code-review-evals", cast.Workspaces["Staging"], 900, 0.6),
        ("research-notebooks", cast.Workspaces["Research"], 1400, 0.05),
    ];

    private double Shape(DateTimeOffset t, double growthPerDay) =>
        (t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.45 : 1.0)
        * (1 + growthPerDay * (t - origin).TotalDays)
        * (0.75 + 0.5 * _random.NextDouble());

    /// <param name="createProjects">True for the first seed (names the projects); a top-up finds them by name.</param>
    public async Task AddAsync(DateTimeOffset from, DateTimeOffset now, bool createProjects, CancellationToken ct)
    {
        var directory = services.GetRequiredService<DirectoryStore>();
        var projects = createProjects ? [] : (await directory.ListProjectsAsync(cast.OrgId, ct)).GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First().ProjectId);
        async Task<string> ProjectAsync(string name)
        {
            if (projects.TryGetValue(name, out var id)) return id;
            id = Guid.NewGuid().ToString("D");
            await directory.NameProjectAsync(cast.OrgId, id, name, ct);
            return projects[name] = id;
        }

        var reports = new List<(UsageReport Report, Reporter Reporter)>();
        var fleet = new Dictionary<DeploymentKey, DeploymentActivity>();
        foreach (var d in Deployments())
        {
            var project = await ProjectAsync(d.Name);
            var activity = fleet[DeploymentKey.Of(d.Reporter, d.Ws, project)] = new DeploymentActivity();
            var stop = now.AddHours(-d.SilentHours);
            for (int replica = 0; replica < d.Replicas; replica++)
            {
                // Each replica reports 3-hour windows from its own start time, so some windows cross midnight.
                var t = from.AddMinutes(37 + 61 * replica);
                while (t < stop)
                {
                    var end = t.AddHours(3) < stop ? t.AddHours(3) : stop;
                    long runs = (long)(d.RunsPerHour * (end - t).TotalHours * Shape(t, 0.01));
                    var report = Parse(now, t, end, runs, runs * _random.Next(3, 8), d.Ws, project);
                    reports.Add((report, d.Reporter));
                    activity.Observe(new WindowObservation(report.FromMicros, report.ToMicros, report.Runs, report.Nodes, end, report.Tags, report.OtherMeasures));
                    t = end;
                }
            }
        }
        await services.GetRequiredService<WindowStore>().AddWindowsAsync(cast.OrgId, reports, now, ct);
        // The fleet view as the API would have built it, had the windows arrived one by one at their ends.
        var deploymentStore = services.GetRequiredService<DeploymentStore>();
        var org = await directory.GetOrgAsync(cast.OrgId, ct) ?? throw new InvalidOperationException("The demo org is gone.");
        foreach (var (key, activity) in fleet.Where(kv => kv.Value.LastReportAt is not null))
            await deploymentStore.MergeAsync(org, key, activity, now, ct);

        var batches = new List<List<TraceTransaction>>();
        foreach (var s in Sessions())
        {
            var project = await ProjectAsync(s.Name);
            for (var day = new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero); day < now; day = day.AddDays(1))
            {
                var batch = new JsonArray();
                for (int slot = 0; slot < 6; slot++)
                {
                    var start = day.AddHours(4 * slot).AddMinutes(_random.Next(0, 200));
                    if (start < from) continue;
                    if (start >= now) break;
                    var who = cast.People[_random.Next(cast.People.Count)];
                    batch.Add((JsonNode)new JsonObject
                    {
                        ["id"] = Guid.NewGuid().ToString("D"),
                        ["tenant_id"] = s.Ws,
                        ["session_id"] = project,
                        ["trace_count"] = (long)(s.TracesPerDay / 6 * Shape(start, 0.008)),
                        ["start_interval_time"] = start.ToString("O"),
                        ["end_interval_time"] = start.AddMinutes(5).ToString("O"),
                        ["transaction_type"] = _random.NextDouble() < s.LongLivedShare ? "longlived_traces" : "shortlived",
                        ["user_id"] = who.User,
                        ["api_key_short_key"] = who.Short,
                    });
                }
                if (batch.Count == 0) continue;
                var parsed = TraceBatchParser.Parse(JsonSerializer.SerializeToElement(new JsonObject { ["trace_transactions"] = batch }, CliFiles.Default.JsonObject), Timestamps.FromDateTimeOffset(now));
                batches.Add([.. parsed.Value ?? throw new InvalidOperationException(string.Join("; ", parsed.Errors))]);
            }
        }
        // Stored as the platform's batches would be, in fewer, larger calls: the store claims ids and writes
        // day records a hundred at a time, so a seed costs a few dozen requests instead of a thousand.
        var traces = services.GetRequiredService<TraceStore>();
        foreach (var chunk in batches.SelectMany(b => b).Chunk(1000))
            await traces.InsertTraceTransactionsAsync(cast.OrgId, cast.LicenseId, chunk, now, ct);
    }

    private UsageReport Parse(DateTimeOffset now, DateTimeOffset from, DateTimeOffset to, long runs, long nodes, string workspace, string project)
    {
        using var body = JsonDocument.Parse(ClientWindowBody.Format(from, to, runs, nodes, workspace, project, credential: cast.LicenseKey));
        var parsed = UsageReportParser.Parse(body.RootElement, Timestamps.FromDateTimeOffset(now));
        return parsed.Value ?? throw new InvalidOperationException(string.Join("; ", parsed.Errors));
    }
}
