using System.Diagnostics;
using System.Text.Json;
using Beacon.Domain.Fleet;
using Beacon.Storage.Account;
using Beacon.Storage.Maintenance;
using Beacon.Storage.Rollups;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Bench;

internal sealed partial class Bench
{
    /// <summary>
    /// SPEC §15's fleet figure: the table entities (and storage requests) one page of each operator listing
    /// reads, at 5,000 and then 50,000 deployments over 5,000 licenses in 500 orgs, for each filter the
    /// console offers. The ratio (50,000 ÷ 5,000) should be 1 within 10 %: a page costs the same whatever the
    /// fleet's size. Deployments are recorded through the fleet recorder's own store path
    /// (<see cref="DeploymentStore.MergeAsync"/>), so the index and counters are the real ones; their usage goes
    /// through HTTP and the timer's run, so the statement's lines are the ones the rollup keeps.
    /// </summary>
    public async Task<object> FleetAsync()
    {
        var (app, http) = await StartAppAsync();
        await using var _ = app;
        using var __ = http;
        var s = app.Services;
        int orgCount = quick ? 50 : 500, perOrg = 10, small = quick ? 500 : 5_000, large = quick ? 5_000 : 50_000;
        var directory = s.GetRequiredService<DirectoryStore>();
        var credentials = s.GetRequiredService<CredentialStore>();
        var deployments = s.GetRequiredService<DeploymentStore>();
        var metrics = s.GetRequiredService<StorageAccount>().Metrics;
        var (operatorKey, _) = await credentials.CreateOperatorKeyAsync("bench");
        http.DefaultRequestHeaders.Add("X-Operator-Key", operatorKey);

        var watch = Stopwatch.StartNew();
        var orgs = new Organization[orgCount];
        await RunConcurrentAsync(orgCount, async i => orgs[i] = await directory.CreateOrgAsync($"Fleet org {i:D4}"), 8);
        var licenses = new string[orgCount * perOrg];
        var licenseKeys = new string[licenses.Length];
        await RunConcurrentAsync(licenses.Length, async i =>
        {
            var (key, record) = await credentials.CreateLicenseAsync(orgs[i / perOrg].OrgId, "enterprise", null, ["agent_deployments", "traces"]);
            (licenses[i], licenseKeys[i]) = (record.LicenseId, key);
        }, 8);
        log($"fleet: {orgCount} orgs, {licenses.Length} licenses in {watch.Elapsed.TotalSeconds:F0} s");

        var now = DateTimeOffset.UtcNow;
        var yesterday = new DateTimeOffset(now.UtcDateTime.Date.AddDays(-1).AddHours(10), TimeSpan.Zero);
        var month = Beacon.Domain.Statements.Month.Of(yesterday);
        var workspaces = orgs.Select(_ => Guid.NewGuid().ToString()).ToArray();
        var rollupOptions = new RollupOptions { StageExports = false };
        var maintenance = ActivatorUtilities.CreateInstance<MaintenanceRun>(s, rollupOptions, ActivatorUtilities.CreateInstance<RollupJob>(s, rollupOptions));
        // Deployment i: license i mod 5,000, its own project; a tenth of them last reported 20 minutes ago
        // (silent). The others report "an hour from now", so that the silence sweep, which runs in the
        // background every 10 s, has nothing to do for them while the pages are measured.
        async Task SeedAsync(int from, int to)
        {
            var w = Stopwatch.StartNew();
            // Few writers, as the fleet recorder is (one per instance): every state change also updates the fleet-wide counters.
            await RunConcurrentAsync(to - from, async k =>
            {
                int i = from + k;
                var license = licenses[i % licenses.Length];
                var org = orgs[i % licenses.Length / perOrg];
                var at = i % 10 == 0 ? now.AddMinutes(-20) : now.AddHours(1);
                var activity = new DeploymentActivity();
                var t = Timestamps(at);
                activity.Observe(new WindowObservation(t - 300_000_000, t, 10, 30, at, new Dictionary<string, string>(), new Dictionary<string, double>()));
                await deployments.MergeAsync(org, new DeploymentKey("license", license, "", $"project-{i:D6}"), activity, now);
            }, 4);
            log($"fleet: deployments {from:N0}..{to:N0} recorded in {w.Elapsed.TotalSeconds:F0} s");

            // Usage for the statement: each deployment reports one trace transaction yesterday (through HTTP, one
            // request per license), then the timer's run keeps the open month's lines. Lines are per license, so the
            // large fleet has as many lines as the small one, with ten times the usage behind each.
            w.Restart();
            var byLicense = Enumerable.Range(from, to - from).GroupBy(i => i % licenses.Length).ToList();
            await RunConcurrentAsync(byLicense.Count, async g =>
            {
                var l = byLicense[g].Key;
                await PostTracesAsync(http, JsonBodies.Traces(licenseKeys[l], byLicense[g].Select(i =>
                    (Guid.NewGuid().ToString(), workspaces[l / perOrg], Guid.NewGuid().ToString(), 1 + i % 40, yesterday.AddSeconds(i % 600)))));
            });
            var report = await maintenance.RunAsync(null, (IReadOnlyList<string>?)null);
            if (report.Orgs.Any(o => o.Error is not null || o.StepsDeferred > 0)) throw new InvalidOperationException("The rollup of the fleet did not finish in one run.");
            log($"fleet: usage of deployments {from:N0}..{to:N0} reported and rolled up in {w.Elapsed.TotalSeconds:F0} s");
        }

        var sampleOrg = orgs[7].OrgId;
        var sampleLicense = licenses[7 * perOrg + 3];
        (string Name, string Path)[] pages =
        [
            ("licenses", "/api/v1/operator/licenses?limit=100"),
            ("licenses_of_org", $"/api/v1/operator/licenses?org_id={sampleOrg}&limit=100"),
            ("licenses_reporting", "/api/v1/operator/licenses?state=reporting&limit=100"),
            ("deployments", "/api/v1/operator/deployments?limit=100"),
            ("deployments_silent", "/api/v1/operator/deployments?state=silent&limit=100"),
            ("deployments_of_org", $"/api/v1/operator/deployments?org_id={sampleOrg}&limit=100"),
            ("deployments_of_license", $"/api/v1/operator/deployments?license_id={sampleLicense}&limit=100"),
            ("audit", "/api/v1/operator/audit?limit=100"),
            ("statement_lines", $"/api/v1/operator/statements?month={month}&limit=100"),
            ("statement_lines_of_org", $"/api/v1/operator/statements?month={month}&org_id={sampleOrg}&limit=100"),
        ];
        async Task<Dictionary<string, (long Entities, long Requests, int Items, double Ms)>> MeasureAsync()
        {
            // The counts are the process's: wait until background work (the sweep, the upgrade step) is quiet.
            // (The sweep's own progress read, one entity every 10 s, is all that remains then.)
            for (long before = -1_000; metrics.EntitiesRead - before > 10;)
            {
                before = metrics.EntitiesRead;
                await Task.Delay(TimeSpan.FromSeconds(12));
            }
            var result = new Dictionary<string, (long, long, int, double)>();
            foreach (var (name, path) in pages)
            {
                // A second page too (after the cursor), so the figure is not the first page's alone.
                long entities = 0, requests = 0;
                int items = 0;
                var w = Stopwatch.StartNew();
                string? cursor = null;
                for (int page = 0; page < 2; page++)
                {
                    var (e0, r0) = (metrics.EntitiesRead, metrics.Requests);
                    using var response = await http.GetAsync(path + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
                    response.EnsureSuccessStatusCode();
                    (entities, requests) = (entities + metrics.EntitiesRead - e0, requests + metrics.Requests - r0);
                    using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    var list = doc.RootElement.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value;
                    items += list.GetArrayLength();
                    cursor = doc.RootElement.GetProperty("next_cursor").GetString();
                    if (cursor is null) break;
                }
                result[name] = (entities, requests, items, w.Elapsed.TotalMilliseconds);
                log($"fleet: {name}: {entities} entities, {requests} requests for {items} items ({w.Elapsed.TotalMilliseconds:F0} ms)");
            }
            return result;
        }

        await SeedAsync(0, small);
        var atSmall = await MeasureAsync();
        await SeedAsync(small, large);
        var atLarge = await MeasureAsync();
        var console = await RenderFleetTabAsync(http.BaseAddress!, operatorKey, Path.Combine("artifacts", "screenshots", $"console-fleet-{large}.png"));
        return new
        {
            console_fleet_tab = console,
            deployments = new[] { small, large },
            licenses = licenses.Length,
            orgs = orgCount,
            pages = pages.ToDictionary(p => p.Name, p => new
            {
                entities = new[] { atSmall[p.Name].Entities, atLarge[p.Name].Entities },
                requests = new[] { atSmall[p.Name].Requests, atLarge[p.Name].Requests },
                items = new[] { atSmall[p.Name].Items, atLarge[p.Name].Items },
                ms = new[] { Math.Round(atSmall[p.Name].Ms), Math.Round(atLarge[p.Name].Ms) },
                entities_ratio = atSmall[p.Name].Entities == 0 ? 0 : Math.Round((double)atLarge[p.Name].Entities / atSmall[p.Name].Entities, 3),
                entities_per_item_ratio = atSmall[p.Name].Items == 0 || atLarge[p.Name].Items == 0 ? 0
                    : Math.Round((double)atLarge[p.Name].Entities / atLarge[p.Name].Items / ((double)atSmall[p.Name].Entities / atSmall[p.Name].Items), 3),
            }),
            note = "entities and requests read by two consecutive pages of 100 (the first and the one after its cursor); the ratios are large fleet ÷ small fleet. "
                + "Scoped listings (one org, one license) hold fewer items than two pages in the small fleet, so for them compare entities per item.",
        };
    }

    private static long Timestamps(DateTimeOffset t) => Beacon.Domain.Time.Timestamps.FromDateTimeOffset(t);
}
