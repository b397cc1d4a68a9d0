using System.Net;
using System.Text.Json;
using Beacon.Domain.Statements;
using Beacon.Storage.Stores;
using Beacon.Tests.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Statements;

/// <summary>
/// A random org with two licenses and an API key reporting into one UTC month (and across its edges),
/// sent through the HTTP API like real deployments — windows, later copies that supersede, the API-key
/// copy of a licensed window, trace batches with repeated ids — and mirrored into a brute-force model
/// of what each (license, metric) of the month must total. Generated from a seed, so a failure replays.
/// </summary>
internal sealed class StatementDataset
{
    private sealed record Reporter(string? LicenseKey, string? ApiKey, string LicenseId);

    private sealed record Stored(UsageModel.Window Window, string LicenseId);

    private readonly BeaconFixture _f;
    private readonly Reporter[] _reporters;
    private readonly Dictionary<(string, string, DateTimeOffset), Stored> _windows = [];
    private readonly Dictionary<string, (DateOnly Day, long Count, bool LongLived, string LicenseId)> _traces = [];

    private StatementDataset(BeaconFixture f, TestOrg org, Month month, Reporter[] reporters) => (_f, Org, Month, _reporters) = (f, org, month, reporters);

    public TestOrg Org { get; }
    public Month Month { get; }
    public string[] Workspaces => [Org.WorkspaceA, Org.WorkspaceB, Org.DefaultWorkspace];

    public static async Task<StatementDataset> CreateAsync(BeaconFixture f, Month month)
    {
        var org = await f.NewOrgAsync();
        var (second, secondRecord) = await f.Services.GetRequiredService<CredentialStore>().CreateLicenseAsync(org.OrgId, "starter", null, []);
        return new StatementDataset(f, org, month, [new(org.LicenseKey, null, org.LicenseId), new(second, null, secondRecord.LicenseId), new(null, org.ApiKey, "")]);
    }

    /// <summary>Sends a random batch of usage for the month (and its edges) and records it in the model.</summary>
    public async Task AddUsageAsync(Random random, int windows, int traceBatches)
    {
        var start = new DateTimeOffset(Month.FirstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-2);
        var spanMinutes = (int)(Month.EndDay.DayNumber - Month.FirstDay.DayNumber + 3) * 1440;
        string[] workspaces = [Org.WorkspaceA, Org.WorkspaceB, ""];
        string[] projects = ["", "p-1", "p-2"];
        for (int i = 0; i < windows; i++)
        {
            if (_windows.Count > 0 && random.Next(3) == 0)
            {
                // A later copy of a stored window with at least its counts (the client merges upward), from
                // any reporter: the API-key copy of a licensed window keeps the window on its license.
                var old = _windows.Values.ElementAt(random.Next(_windows.Count)).Window;
                var later = old with { To = old.To.AddMinutes(random.Next(0, 600)).AddTicks(random.Next(0, 99) * 10), Runs = old.Runs + random.Next(0, 50), Nodes = old.Nodes + random.Next(0, 90) };
                await SendAsync(later, _reporters[random.Next(_reporters.Length)]);
                continue;
            }
            var from = start.AddMinutes(random.Next(0, spanMinutes)).AddTicks(random.Next(0, 10_000_000));
            var length = random.Next(10) switch
            {
                < 6 => TimeSpan.FromMinutes(random.Next(0, 300)),
                < 9 => TimeSpan.FromMinutes(random.Next(1, 600)) + (TimeSpan.FromDays(1) - from.TimeOfDay),
                _ => TimeSpan.FromHours(random.Next(24, 72)),
            };
            var w = new UsageModel.Window(workspaces[random.Next(3)], projects[random.Next(3)], from, from + length + TimeSpan.FromTicks(random.Next(0, 9) * 10),
                random.Next(0, 500), random.Next(0, 2000), "", "");
            await SendAsync(w, _reporters[random.Next(_reporters.Length)]);
        }
        for (int b = 0; b < traceBatches; b++)
        {
            var reporter = _reporters[random.Next(_reporters.Length)];
            var batch = new List<object>();
            for (int i = random.Next(1, 20); i > 0; i--)
            {
                // Some ids repeat an earlier transaction (with other content): the first one counts, forever.
                var id = _traces.Count > 0 && random.Next(5) == 0 ? _traces.Keys.ElementAt(random.Next(_traces.Count)) : Guid.NewGuid().ToString();
                var at = start.AddMinutes(random.Next(0, spanMinutes));
                var longLived = random.Next(3) == 0;
                var count = random.Next(0, 300);
                batch.Add(Payloads.Transaction(id, workspaces[random.Next(3)], projects[random.Next(3)], count, at, longLived ? "longlived" : "shortlived"));
                _traces.TryAdd(id, (DateOnly.FromDateTime(at.UtcDateTime), count, longLived, reporter.LicenseId));
            }
            var body = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                [reporter.LicenseKey is null ? "api_key" : "license_key"] = reporter.LicenseKey ?? reporter.ApiKey,
                ["trace_transactions"] = batch,
            });
            var response = await _f.PostJsonAsync("/v1/beacon/ingest-traces", body);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }

    private async Task SendAsync(UsageModel.Window w, Reporter r)
    {
        var response = await _f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(r.LicenseKey, r.ApiKey, w.From, w.To, w.Runs, w.Nodes, w.Ws, w.Project));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var key = (w.Ws, w.Project, w.From);
        if (_windows.TryGetValue(key, out var stored))
        {
            if (w.To < stored.Window.To || w.Runs < stored.Window.Runs || w.Nodes < stored.Window.Nodes) return; // ignored copy
            _windows[key] = new Stored(w, r.LicenseId.Length > 0 ? r.LicenseId : stored.LicenseId);
        }
        else
        {
            _windows[key] = new Stored(w, r.LicenseId);
        }
    }

    /// <summary>
    /// Brute force: every stored window's day shares and every first-seen transaction in the month, per
    /// license; standby minutes minute by minute, each UTC minute of the month once per deployment
    /// (workspace, the default one for usage without one; project; billed license) that any window touches.
    /// </summary>
    public Dictionary<string, Totals> Expected()
    {
        var totals = new Dictionary<string, Totals>();
        Totals Get(string l) => totals.GetValueOrDefault(l) ?? Totals.Zero;
        var uptime = new Dictionary<(string, DateOnly), long>();
        var minutes = new Dictionary<(string Ws, string Project, string License), HashSet<long>>();
        foreach (var s in _windows.Values)
        {
            foreach (var (day, runs, nodes, micros) in UsageModel.SplitByDay(s.Window))
            {
                if (Month.Of(day) != Month) continue;
                totals[s.LicenseId] = Get(s.LicenseId).Plus("agent_runs", runs).Plus("nodes_executed", nodes);
                uptime[(s.LicenseId, day)] = uptime.GetValueOrDefault((s.LicenseId, day)) + micros;
            }
            var deployment = (s.Window.Ws.Length == 0 ? Org.DefaultWorkspace : s.Window.Ws, s.Window.Project, s.LicenseId);
            if (!minutes.TryGetValue(deployment, out var set)) minutes[deployment] = set = [];
            set.UnionWith(UsageModel.MinutesOf(s.Window).Where(m => Month.Of(DateOnly.FromDateTime(DateTimeOffset.UnixEpoch.AddMinutes(m).UtcDateTime)) == Month));
        }
        foreach (var ((license, _), micros) in uptime)
            totals[license] = Get(license).Plus("agent_uptime_seconds", (micros + 500_000) / 1_000_000);
        foreach (var ((_, _, license), set) in minutes)
            totals[license] = Get(license).Plus("standby_minutes", set.Count);
        foreach (var t in _traces.Values.Where(t => Month.Of(t.Day) == Month))
            totals[t.LicenseId] = Get(t.LicenseId).Plus(t.LongLived ? "traces_longlived" : "traces_shortlived", t.Count);
        return totals.Where(kv => !kv.Value.IsZero).ToDictionary();
    }

    /// <summary>The granular usage API over the month, all the org's workspaces, grouped by license: its daily records summed.</summary>
    public async Task<Dictionary<string, Totals>> FromUsageApiAsync()
    {
        var start = Month.FirstDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T00:00:00Z";
        var end = Month.EndDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "T00:00:00Z";
        var totals = new Dictionary<string, Totals>();
        foreach (var kind in new[] { "langsmith_deployments", "traces" })
            foreach (var tier in kind == "traces" ? new string?[] { "longlived", "shortlived" } : [null])
            {
                var (_, rows) = await UsageClient.QueryAsync(_f.Http, Org.ApiKey, UsageClient.QueryString(kind, "license", tier, start, end, Workspaces), "license");
                foreach (var r in rows)
                {
                    var t = totals.GetValueOrDefault(r.Id ?? "") ?? Totals.Zero;
                    t = kind == "traces"
                        ? t.Plus(tier == "longlived" ? "traces_longlived" : "traces_shortlived", r.Traces)
                        : t.Plus("agent_runs", r.Runs).Plus("nodes_executed", r.Nodes).Plus("agent_uptime_seconds", r.Uptime).Plus("standby_minutes", r.Standby);
                    totals[r.Id ?? ""] = t;
                }
            }
        return totals.Where(kv => !kv.Value.IsZero).ToDictionary();
    }

    /// <summary>This org's lines of a statement answer, per license id ("" for API-key usage).</summary>
    public Dictionary<string, Totals> LinesOf(JsonElement statement) => LinesOf(statement, Org.OrgId);

    /// <summary>An org's lines of a statement answer, per license id ("" for API-key usage).</summary>
    public static Dictionary<string, Totals> LinesOf(JsonElement statement, string orgId) =>
        statement.GetProperty("lines").EnumerateArray().Where(l => l.GetProperty("org_id").GetString() == orgId)
            .ToDictionary(l => l.GetProperty("license_id").GetString() ?? "", TotalsOf);

    /// <summary>
    /// The month <paramref name="months"/> before the clock's. Closing is for every org of a storage account, so the
    /// tests that share a collection (one Azurite) each work in months of their own, with the month after a closed one
    /// left open where a test reads adjustments there. The months are near the clock, from two back (a dataset reaches
    /// days past its month's end): a test org is created today and its rollup backfills every month from its usage to
    /// today, so each month further back costs a backfill step and an open-line refresh (ADR 0019).
    /// </summary>
    public static Month MonthsBack(BeaconFixture f, int months)
    {
        var m = Month.Of(f.Clock.GetUtcNow());
        for (int i = 0; i < months; i++) m = Month.Of(m.FirstDay.AddDays(-1));
        return m;
    }

    /// <summary>Runs the <c>beacon</c> CLI against the fixture's Azurite.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> CliAsync(BeaconFixture f, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await Beacon.Cli.CliApp.RunAsync(args, stdout, stderr, new Dictionary<string, string?> { ["AzureWebJobsStorage"] = f.ConnectionString });
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static Totals TotalsOf(JsonElement line) =>
        Totals.Meters.Aggregate(Totals.Zero, (t, m) => t.Plus(m, line.GetProperty(m).GetInt64()));
}
