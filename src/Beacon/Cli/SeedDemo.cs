using System.Text.Json;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;
using Beacon.Domain.Credentials;
using Beacon.Domain.Fleet;
using Beacon.Storage.Stores;

namespace Beacon.Cli;

/// <summary>
/// <c>beacon seed-demo</c>: a demo organization with workspaces, users, named projects, a license, an
/// API key and ~90 days of usage of both kinds, shaped like real traffic (weekday peaks, growth,
/// replicas whose windows cross midnight, both retention tiers). Usage goes through the same parsers
/// and stores as the HTTP endpoints, built in the platform client's wire format.
/// </summary>
internal sealed class SeedDemo(IServiceProvider services, TimeProvider time)
{
    public const int Days = 90;

    /// <param name="OperatorKey">For the vendor console; null in demo files saved before the console existed.</param>
    public sealed record Result(string OrgId, string ApiKey, string LicenseKey, string DashboardUrl, string? OperatorKey = null)
    {
        public string ConsoleUrl => DashboardUrl.Replace("/dashboard/", "/console/", StringComparison.Ordinal);
    }

    public async Task<Result> RunAsync(string baseUrl, CancellationToken ct)
    {
        var directory = services.GetRequiredService<DirectoryStore>();
        var credentials = services.GetRequiredService<CredentialStore>();
        var windows = services.GetRequiredService<WindowStore>();
        var traces = services.GetRequiredService<TraceStore>();
        var random = new Random(90);

        var org = await directory.CreateOrgAsync("Demo Org", ct);
        var ws = new Dictionary<string, string>();
        foreach (var name in new[] { "Production", "Staging", "Research" })
        {
            ws[name] = Guid.NewGuid().ToString("D");
            await directory.CreateWorkspaceAsync(org.OrgId, ws[name], name, ct);
        }
        var ada = await directory.CreateUserAsync(org.OrgId, "ada@demo.example", [.. ws.Values, org.DefaultWorkspaceId!], ct);
        var grace = await directory.CreateUserAsync(org.OrgId, "grace@demo.example", [ws["Production"], ws["Staging"]], ct);
        var linus = await directory.CreateUserAsync(org.OrgId, "linus@demo.example", [ws["Research"]], ct);
        var (apiKey, _) = await credentials.CreateApiKeyAsync(org.OrgId, ada.UserId, [ApiKeyRecord.OrganizationRead], null, ct);
        var (_, graceKey) = await credentials.CreateApiKeyAsync(org.OrgId, grace.UserId, [], null, ct);
        var (_, linusKey) = await credentials.CreateApiKeyAsync(org.OrgId, linus.UserId, [], null, ct);
        var (license, licenseRecord) = await credentials.CreateLicenseAsync(org.OrgId, "enterprise", time.GetUtcNow().AddYears(1),
            ["agent_deployments", "traces", "custom_auth"], null, ct);

        // (name, workspace, replicas, base runs per hour, reporter, hours since it last reported)
        var deployments = new (string Name, string Ws, int Replicas, double RunsPerHour, Reporter Reporter, int SilentHours)[]
        {
            ("Support Agent", ws["Production"], 3, 40, Reporter.ForLicense(licenseRecord.LicenseId), 0),
            ("Sales Copilot", ws["Production"], 2, 18, Reporter.ForApiKey(graceKey), 0),
            ("Code Reviewer", ws["Staging"], 1, 9, Reporter.ForApiKey(graceKey), 0),
            ("Research Assistant", ws["Research"], 2, 12, Reporter.ForApiKey(linusKey), 0),
            // Went quiet a few hours ago: the vendor console shows it as silent.
            ("Data Pipeline Agent", ws["Research"], 1, 5, Reporter.ForLicense(licenseRecord.LicenseId), 5),
            // A license-only self-hosted deployment (no tenant id configured): it shows in the Default workspace.
            ("Batch Summarizer", "", 1, 4, Reporter.ForLicense(licenseRecord.LicenseId), 0),
        };
        var sessions = new (string Name, string Ws, double TracesPerDay, double LongLivedShare)[]
        {
            ("support-agent", ws["Production"], 5200, 0.25),
            ("sales-copilot", ws["Production"], 2100, 0.1),
            ("code-review-evals", ws["Staging"], 900, 0.6),
            ("research-notebooks", ws["Research"], 1400, 0.05),
        };
        var people = new (string User, string Short)[] { (ada.UserId, ""), (grace.UserId, graceKey.ShortKey), (linus.UserId, linusKey.ShortKey) };

        var now = time.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var first = today.AddDays(-Days);
        double Shape(DateTimeOffset t, double growthPerDay) =>
            (t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.45 : 1.0)
            * (1 + growthPerDay * (t - first).TotalDays)
            * (0.75 + 0.5 * random.NextDouble());

        var reports = new List<(UsageReport Report, Reporter Reporter)>();
        var fleet = new Dictionary<DeploymentKey, DeploymentActivity>();
        foreach (var d in deployments)
        {
            var project = Guid.NewGuid().ToString("D");
            await directory.NameProjectAsync(org.OrgId, project, d.Name, ct);
            var activity = fleet[DeploymentKey.Of(d.Reporter, d.Ws, project)] = new DeploymentActivity();
            var stop = now.AddHours(-d.SilentHours);
            for (int replica = 0; replica < d.Replicas; replica++)
            {
                // Each replica reports 3-hour windows from its own start time, so some windows cross midnight.
                var t = first.AddMinutes(37 + 61 * replica);
                while (t < stop)
                {
                    var end = t.AddHours(3) < stop ? t.AddHours(3) : stop;
                    long runs = (long)(d.RunsPerHour * (end - t).TotalHours * Shape(t, 0.01));
                    var report = Parse(license, now, t, end, runs, runs * random.Next(3, 8), d.Ws, project);
                    reports.Add((report, d.Reporter));
                    activity.Observe(new WindowObservation(report.FromMicros, report.ToMicros, report.Runs, report.Nodes, end, report.Tags, report.OtherMeasures));
                    t = end;
                }
            }
        }
        await Parallel.ForEachAsync(reports, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (r, token) => await windows.SupersedeWindowAsync(org.OrgId, r.Report, r.Reporter, now, token));
        // The fleet view as the API would have built it, had the windows arrived one by one at their ends.
        var deploymentStore = services.GetRequiredService<DeploymentStore>();
        foreach (var (key, activity) in fleet) await deploymentStore.MergeAsync(org.OrgId, key, activity, now, ct);

        var batches = new List<List<TraceTransaction>>();
        foreach (var s in sessions)
        {
            var project = Guid.NewGuid().ToString("D");
            await directory.NameProjectAsync(org.OrgId, project, s.Name, ct);
            for (var day = first; day < now; day = day.AddDays(1))
            {
                var batch = new List<Dictionary<string, object?>>();
                for (int slot = 0; slot < 6; slot++)
                {
                    var start = day.AddHours(4 * slot).AddMinutes(random.Next(0, 200));
                    if (start >= now) break;
                    var who = people[random.Next(people.Length)];
                    batch.Add(new Dictionary<string, object?>
                    {
                        ["id"] = Guid.NewGuid().ToString("D"),
                        ["tenant_id"] = s.Ws,
                        ["session_id"] = project,
                        ["trace_count"] = (long)(s.TracesPerDay / 6 * Shape(start, 0.008)),
                        ["start_interval_time"] = start.ToString("O"),
                        ["end_interval_time"] = start.AddMinutes(5).ToString("O"),
                        ["transaction_type"] = random.NextDouble() < s.LongLivedShare ? "longlived_traces" : "shortlived",
                        ["user_id"] = who.User,
                        ["api_key_short_key"] = who.Short,
                    });
                }
                var parsed = TraceBatchParser.Parse(JsonSerializer.SerializeToElement(new { trace_transactions = batch }), Timestamps.FromDateTimeOffset(now));
                batches.Add([.. parsed.Value ?? throw new InvalidOperationException(string.Join("; ", parsed.Errors))]);
            }
        }
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (b, token) => await traces.InsertTraceTransactionsAsync(org.OrgId, licenseRecord.LicenseId, b, now, token));

        var (operatorKey, _) = await credentials.CreateOperatorKeyAsync("demo-operator", ct);
        return new Result(org.OrgId, apiKey, license, baseUrl.TrimEnd('/') + "/dashboard/", operatorKey);
    }

    private static UsageReport Parse(string license, DateTimeOffset now, DateTimeOffset from, DateTimeOffset to, long runs, long nodes, string workspace, string project)
    {
        using var body = JsonDocument.Parse(ClientWindowBody.Format(from, to, runs, nodes, workspace, project, credential: license));
        var parsed = UsageReportParser.Parse(body.RootElement, Timestamps.FromDateTimeOffset(now));
        return parsed.Value ?? throw new InvalidOperationException(string.Join("; ", parsed.Errors));
    }
}
