using System.Net;
using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Usage;

/// <summary>
/// A random organization's worth of usage, sent through the HTTP API exactly as deployments would, and
/// mirrored into a <see cref="UsageModel"/>. Generated from a seed, so any failure can be replayed.
/// </summary>
public sealed class UsageDataset
{
    public static readonly DateTimeOffset Base = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private readonly BeaconFixture _f;
    private readonly (string? License, string? Key, string User, string Short)[] _reporters;
    private readonly string[] _projects;
    private readonly List<string> _traceIds = [];

    private UsageDataset(BeaconFixture f, int seed, TestOrg org, string readerKey, string[] workspaces, UsageModel model,
        (string? License, string? Key, string User, string Short)[] reporters, string[] projects)
    {
        _f = f;
        Seed = seed;
        Org = org;
        ReaderKey = readerKey;
        Workspaces = workspaces;
        Model = model;
        _reporters = reporters;
        _projects = projects;
    }

    public int Seed { get; }
    public TestOrg Org { get; }
    public string ReaderKey { get; }
    public string[] Workspaces { get; }
    public UsageModel Model { get; }

    public static async Task<UsageDataset> CreateAsync(BeaconFixture f, int seed)
    {
        var random = new Random(seed);
        var org = await f.NewOrgAsync();
        var directory = f.Services.GetRequiredService<DirectoryStore>();
        var credentials = f.Services.GetRequiredService<CredentialStore>();
        var model = new UsageModel();
        model.WorkspaceNames[org.WorkspaceA] = "Workspace A";
        model.WorkspaceNames[org.WorkspaceB] = "Workspace B";
        var wsC = Guid.NewGuid().ToString(); // first seen in usage: registered without a name
        model.DefaultWorkspace = (await directory.GetOrgAsync(org.OrgId))!.DefaultWorkspaceId!;
        model.WorkspaceNames[model.DefaultWorkspace] = "Default";
        string[] workspaces = [org.WorkspaceA, org.WorkspaceB, wsC, model.DefaultWorkspace];

        var u2 = await directory.CreateUserAsync(org.OrgId, "grace@example.com", [org.WorkspaceA]);
        model.UserEmails[org.UserId] = "ada@example.com";
        model.UserEmails[u2.UserId] = "grace@example.com";
        var (key2, key2Record) = await credentials.CreateApiKeyAsync(org.OrgId, u2.UserId, [], null);
        var (reader, _) = await credentials.CreateApiKeyAsync(org.OrgId, null, [ApiKeyRecord.OrganizationRead], null);
        var named = Guid.NewGuid().ToString();
        await directory.NameProjectAsync(org.OrgId, named, "Support bot");
        model.ProjectNames[named] = "Support bot";
        string[] projects = ["", named, Guid.NewGuid().ToString(), "free-form id/ü"];
        var reporters = new (string? License, string? Key, string User, string Short)[]
        {
            (org.LicenseKey, null, "", ""),
            (null, org.ApiKey, org.UserId, org.ApiKeyRecord.ShortKey),
            (null, key2, u2.UserId, key2Record.ShortKey),
        };
        // Workspace C becomes the org's when usage first names it: a report with no usage at all.
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Base, Base, 0, 0, wsC))).StatusCode);
        model.Submit(new UsageModel.Window(wsC, "", Base, Base, 0, 0, "", ""));

        var data = new UsageDataset(f, seed, org, reader, workspaces, model, reporters, projects);
        await data.AddUsageAsync(random, windows: random.Next(4, 22), batches: random.Next(1, 5));
        return data;
    }

    /// <summary>
    /// Sends more usage: new windows (within a day, across midnight, long), later copies of windows
    /// (the client's retry) and older ones (late stale copies), trace batches with repeated ids.
    /// Called again after a rollup, it is the late data that makes covered days dirty.
    /// </summary>
    public async Task AddUsageAsync(Random random, int windows, int batches)
    {
        string Pick(string[] xs) => xs[random.Next(xs.Length)];
        string WorkspaceOrEmpty() => random.Next(12) == 0 ? "" : Pick(Workspaces);

        // Like the real client, a later copy of a window carries at least its counts (it merges upward):
        // counts grow with to_timestamp, so copies sent in any order end in the same stored window.
        static UsageModel.Window Merged(UsageModel.Window w, DateTimeOffset to) => to < w.To ? w with { To = to }
            : w with { To = to, Runs = w.Runs + (long)((to - w.To).TotalMinutes / 40), Nodes = w.Nodes + (long)((to - w.To).TotalMinutes / 17) };

        var submissions = new List<UsageModel.Window>();
        for (int i = windows; i > 0; i--)
        {
            if (Model.Windows.Count > 1 && random.Next(4) == 0)
            {
                // A retry of an existing key, later (supersedes) or earlier (a stale copy).
                var old = Model.Windows.ElementAt(random.Next(Model.Windows.Count));
                // Never the same to_timestamp as another copy: equal ends with different counts would race.
                var to = random.Next(3) == 0 && old.To - old.From > TimeSpan.FromSeconds(2)
                    ? old.From + (old.To - old.From) / 2
                    : old.To.AddMinutes(random.Next(1, 3000)).AddTicks(random.Next(1, 99) * 10);
                submissions.Add(Merged(old, to));
                continue;
            }
            var from = Base.AddMinutes(random.Next(0, 40 * 1440)).AddTicks(random.Next(0, 10_000_000));
            var length = random.Next(20) switch
            {
                < 11 => TimeSpan.FromMinutes(random.Next(0, 300)),
                < 16 => TimeSpan.FromMinutes(random.Next(1, 600)) + (TimeSpan.FromDays(1) - from.TimeOfDay), // crosses midnight
                _ => TimeSpan.FromHours(random.Next(24, 24 * 6)),
            };
            var r = _reporters[random.Next(_reporters.Length)];
            var w = new UsageModel.Window(WorkspaceOrEmpty(), Pick(_projects), from, from + length + TimeSpan.FromTicks(random.Next(1, 9) * 10),
                random.Next(0, 1000), random.Next(0, 5000), r.User, r.Short, r.License is null ? "" : Org.LicenseId);
            submissions.Add(w);
            if (random.Next(3) == 0)
                submissions.Add(Merged(w, w.To.AddMinutes(random.Next(1, 2000))));
        }
        var shuffled = submissions.OrderBy(_ => random.Next()).ToList();
        await Parallel.ForEachAsync(shuffled, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (w, _) =>
        {
            var r = _reporters.First(x => x.Short == w.Key);
            var response = await _f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(r.License, r.Key, w.From, w.To, w.Runs, w.Nodes, w.Ws, w.Project));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        });
        foreach (var w in shuffled) Model.Submit(w);

        for (int b = batches; b > 0; b--)
        {
            var batch = new List<UsageModel.Trace>();
            for (int i = random.Next(1, 30); i > 0; i--)
            {
                var id = _traceIds.Count > 0 && random.Next(7) == 0 ? _traceIds[random.Next(_traceIds.Count)] : Guid.NewGuid().ToString();
                _traceIds.Add(id);
                var r = _reporters[random.Next(_reporters.Length)];
                batch.Add(new UsageModel.Trace(id, WorkspaceOrEmpty(), Pick(_projects), random.Next(0, 500),
                    Base.AddMinutes(random.Next(0, 40 * 1440)), random.Next(4) == 0, r.User, r.Short));
            }
            var body = Payloads.Traces(Org.LicenseKey, batch.Select(t =>
            {
                var tx = (Dictionary<string, object?>)Payloads.Transaction(t.Id, t.Ws, t.Project, t.Count, t.Start, t.LongLived ? "longlived" : "shortlived");
                tx["user_id"] = t.User.Length > 0 ? t.User : null;
                tx["api_key_short_key"] = t.Key;
                return (object)tx;
            }));
            var response = await _f.PostJsonAsync("/v1/beacon/ingest-traces", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            foreach (var t in batch) Model.Ingest(t);
        }
    }

    /// <summary>A random query over (and around) the data: any range length, kind, grouping, tier, workspaces.</summary>
    public (string Kind, string Group, string? Tier, DateTimeOffset Start, DateTimeOffset End, string[] Workspaces, bool Comma) RandomQuery(Random random)
    {
        var kind = random.Next(2) == 0 ? "traces" : "langsmith_deployments";
        string[] groups = kind == "traces" ? ["workspace", "project", "user", "api_key", "trace_tier"] : ["workspace", "project", "user", "api_key"];
        var group = groups[random.Next(groups.Length)];
        string? tier = random.Next(3) switch { 0 => "longlived", 1 => "shortlived", _ => null };
        var start = Base.AddDays(random.Next(-5, 42)).AddMinutes(random.Next(0, 1440) * (random.Next(2)));
        int[] lengths = [1, 2, 3, 7, 20, 31, 32, 45, 93, 94, 120, 366, 367];
        var end = start.AddDays(lengths[random.Next(lengths.Length)]).AddMinutes(random.Next(-600, 600) * random.Next(2));
        if (end <= start) end = start.AddHours(1);
        var ws = Workspaces.Where(_ => random.Next(3) > 0).ToArray();
        if (ws.Length == 0) ws = [Workspaces[random.Next(Workspaces.Length)]];
        return (kind, group, tier, start, end, ws, random.Next(4) == 0);
    }
}
