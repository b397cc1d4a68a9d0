using System.Net;
using Beacon.Domain.Quotas;
using Beacon.Domain.Statements;
using Beacon.Storage.Stores;
using Beacon.Tests.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Meters;

/// <summary>
/// Deployments with replicas reporting like the real client, around one UTC month: each replica's windows
/// chain (each from is the previous to) at a 5-minute cadence with microsecond offsets; some are
/// zero-length, some long (the client merged an outage), some cross midnight or span days; failed POSTs
/// come back as retry-merges (same from, later to, counts merged upward), stale copies arrive late, and
/// a licensed deployment's windows get their API-key copy. Mirrored into a <see cref="UsageModel"/>,
/// which counts standby minutes minute by minute. Generated from a seed, so a failure replays.
/// </summary>
internal sealed class ReplicaDataset
{
    private sealed record Reporter(string? LicenseKey, string? ApiKey, string User, string Short, string LicenseId);

    private readonly BeaconFixture _f;
    private readonly Reporter[] _reporters;
    private readonly List<(string Ws, string Project, int Reporter)> _deployments = [];

    private ReplicaDataset(BeaconFixture f, TestOrg org, Month month, string licenseId, Reporter[] reporters, UsageModel model) =>
        (_f, Org, Month, LicenseId, _reporters, Model) = (f, org, month, licenseId, reporters, model);

    public TestOrg Org { get; }
    public Month Month { get; }
    public UsageModel Model { get; }

    /// <summary>The license that reports, with a standby-minutes quota.</summary>
    public string LicenseId { get; }

    public string[] Workspaces => [Org.WorkspaceA, Org.WorkspaceB, Org.DefaultWorkspace];

    public DateTimeOffset MonthStart => new(Month.FirstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    public DateTimeOffset MonthEnd => new(Month.EndDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static async Task<ReplicaDataset> CreateAsync(BeaconFixture f, Month month)
    {
        var org = await f.NewOrgAsync();
        var credentials = f.Services.GetRequiredService<CredentialStore>();
        var (licenseKey, license) = await credentials.CreateLicenseAsync(org.OrgId, "enterprise", null, [], [new Quota("standby_minutes", 100_000)]);
        var user2 = await f.Services.GetRequiredService<DirectoryStore>().CreateUserAsync(org.OrgId, "grace@example.com", [org.WorkspaceA, org.WorkspaceB, org.DefaultWorkspace]);
        var (key2, key2Record) = await credentials.CreateApiKeyAsync(org.OrgId, user2.UserId, [], null);
        var model = new UsageModel { DefaultWorkspace = org.DefaultWorkspace };
        model.WorkspaceNames[org.WorkspaceA] = "Workspace A";
        model.WorkspaceNames[org.WorkspaceB] = "Workspace B";
        model.WorkspaceNames[org.DefaultWorkspace] = "Default";
        model.UserEmails[org.UserId] = "ada@example.com";
        model.UserEmails[user2.UserId] = "grace@example.com";
        Reporter[] reporters =
        [
            new(licenseKey, null, "", "", license.LicenseId),
            new(null, org.ApiKey, org.UserId, org.ApiKeyRecord.ShortKey, ""),
            new(null, key2, user2.UserId, key2Record.ShortKey, ""),
        ];
        return new ReplicaDataset(f, org, month, license.LicenseId, reporters, model);
    }

    /// <summary>Sends replicas' windows between <paramref name="from"/> and <paramref name="until"/> (never later: the clock's limit).</summary>
    public async Task AddReplicasAsync(Random random, DateTimeOffset from, DateTimeOffset until, int deployments)
    {
        string[] workspaces = [Org.WorkspaceA, Org.WorkspaceB, "", Org.DefaultWorkspace];
        string[] projects = ["", "p-1", "p-2"];
        for (int i = 0; i < deployments; i++)
        {
            // Sometimes a deployment seen before gets more replicas (or comes back after a restart).
            if (_deployments.Count > 0 && random.Next(3) == 0) _deployments.Add(_deployments[random.Next(_deployments.Count)]);
            else _deployments.Add((workspaces[random.Next(workspaces.Length)], projects[random.Next(projects.Length)], random.Next(_reporters.Length)));
        }
        var replicas = new List<List<(UsageModel.Window Window, Reporter Reporter)>>();
        foreach (var (ws, project, r) in _deployments.TakeLast(deployments))
            for (int n = random.Next(1, 4); n > 0; n--)
                replicas.Add(Replica(random, ws, project, _reporters[r], from, until));
        // Replicas report at once; a replica's own copies go in order, as one client sends them.
        await Parallel.ForEachAsync(replicas, new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (replica, ct) =>
        {
            foreach (var (w, reporter) in replica)
            {
                var response = await _f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(reporter.LicenseKey, reporter.ApiKey, w.From, w.To, w.Runs, w.Nodes, w.Ws, w.Project));
                Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync(ct));
            }
        });
        foreach (var (w, _) in replicas.SelectMany(r => r)) Model.Submit(w);
    }

    /// <summary>One replica's submissions, in the order its client sends them.</summary>
    private List<(UsageModel.Window, Reporter)> Replica(Random random, string ws, string project, Reporter reporter, DateTimeOffset from, DateTimeOffset until)
    {
        var sent = new List<(UsageModel.Window, Reporter)>();
        var span = (until - from).TotalMinutes;
        var start = from.AddMinutes(random.NextDouble() * span * 0.9).AddTicks(random.Next(0, 10_000_000) * 10);
        var windows = random.Next(3, 40);
        for (int i = 0; i < windows && start < until; i++)
        {
            var length = random.Next(20) switch
            {
                0 => TimeSpan.Zero,                                                     // a replica that reported at once
                1 => TimeSpan.FromHours(random.Next(1, 50)),                            // the client merged an outage
                2 => TimeSpan.FromSeconds(random.Next(1, 60)),                          // a short window
                _ => TimeSpan.FromSeconds(300).Add(TimeSpan.FromTicks(random.Next(0, 500_000) * 10)), // the 5-minute cadence
            };
            var to = start + length < until ? start + length : until;
            var w = new UsageModel.Window(ws, project, start, to, random.Next(0, 20), random.Next(0, 60), reporter.User, reporter.Short, reporter.LicenseId);
            sent.Add((w, reporter));
            if (random.Next(6) == 0 && to < until)
            {
                // The POST failed: the next window is merged into this one and sent again with the same from.
                var merged = w with { To = to + (until - to) * Math.Min(1, random.NextDouble() * 0.01), Runs = w.Runs + random.Next(0, 10), Nodes = w.Nodes + random.Next(0, 30) };
                sent.Add((merged, reporter));
                if (random.Next(3) == 0) sent.Add((w, reporter)); // the first copy arrives late: ignored
                w = merged;
            }
            if (reporter.LicenseKey is not null && random.Next(5) == 0)
            {
                // The client's second copy of a licensed window, with an API key: the window stays the license's.
                var other = _reporters[1 + random.Next(2)];
                sent.Add((w with { User = other.User, Key = other.Short, License = "" }, other));
            }
            if (random.Next(25) == 0) start = w.To.AddMinutes(random.Next(1, 600)); // restarted: a new chain
            else start = w.To;
        }
        return sent;
    }

    public Dictionary<string, Statements.Totals> LinesOf(System.Text.Json.JsonElement statement) => Statements.StatementDataset.LinesOf(statement, Org.OrgId);

    /// <summary>
    /// The model's statement line per license for the month (or its days through <paramref name="through"/>, as an
    /// open month's lines count them): the daily rows by license, summed.
    /// </summary>
    public Dictionary<string, Statements.Totals> ExpectedLines(DateOnly? through = null)
    {
        var lines = new Dictionary<string, Statements.Totals>();
        var end = through is { } last ? new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : MonthEnd;
        foreach (var r in Model.Answer("langsmith_deployments", "license", null, MonthStart, end < MonthEnd ? end : MonthEnd, Workspaces.ToHashSet()))
        {
            var t = (lines.GetValueOrDefault(r.Id ?? "") ?? Statements.Totals.Zero)
                .Plus("agent_runs", r.Runs).Plus("nodes_executed", r.Nodes).Plus("agent_uptime_seconds", r.Uptime).Plus("standby_minutes", r.Standby);
            lines[r.Id ?? ""] = t;
        }
        return lines.Where(kv => !kv.Value.IsZero).ToDictionary();
    }
}
