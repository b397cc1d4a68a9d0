global using Beacon.Testing;
using System.Net.Http.Json;
using Beacon.Hosting;
using Azure.Data.Tables;
using Beacon.Storage.Account;
using Beacon.Storage.Maintenance;
using Beacon.Storage.Rollups;
using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Beacon.Tests;

/// <summary>
/// Azurite plus the real Beacon app on Kestrel (loopback, free port), with a shiftable clock, a
/// fault-injecting storage transport and a capture of every log line.
/// </summary>
public class BeaconFixture : AzuriteFixture
{
    /// <summary>Whether the apps write the fleet view in the background (<c>FleetWriter</c>), as deployed.</summary>
    protected virtual bool WritesFleetView => true;

    private readonly List<WebApplication> _apps = [];

    public ShiftableClock Clock { get; } = new();
    public LogCapture Logs { get; } = new();
    public FaultInjectingTransport Faults { get; } = new();
    public WebApplication App { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public IServiceProvider Services => App.Services;
    public Tables Tables => Services.GetRequiredService<Tables>();
    public StorageMetrics Metrics => Services.GetRequiredService<StorageAccount>().Metrics;

    /// <summary>
    /// Storage requests and writes made by requests, not by the fleet writer, which works in the background
    /// (the Deployments records, and the fleet index and its silence sweep).
    /// </summary>
    public (long Requests, long Writes) ForegroundStorage() => (
        Metrics.Requests - Metrics.To("Deployments").Requests - Metrics.To("FleetIndex").Requests,
        Metrics.Writes - Metrics.To("Deployments").Writes - Metrics.To("FleetIndex").Writes);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (App, Http) = await StartAppAsync();
        // The app creates its tables lazily, before the first request that needs them; tests also use the
        // stores directly, so the fixture waits for that check once.
        await Services.GetRequiredService<StorageReadiness>().EnsureAsync(CancellationToken.None);
    }

    public override async Task DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>The settings every test app gets; <paramref name="extra"/> overrides them.</summary>
    public Dictionary<string, string> Settings(IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["AzureWebJobsStorage"] = ConnectionString,
            ["Beacon:RunScheduler"] = "false",
            ["Beacon:CredentialCacheTtl"] = "00:00:01",
            ["Beacon:RateLimitBurst"] = "100000",
            ["Beacon:RateLimitPerSecond"] = "100000",
            ["Beacon:FailedAuthBurst"] = "100000",
            ["Beacon:AllowInsecureWebhooks"] = "true", // receivers listen on loopback http
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) settings[k] = v;
        return settings;
    }

    /// <param name="services">Replaces services of this app only (a meter catalog with a test meter, say).</param>
    public async Task<(WebApplication App, HttpClient Http)> StartAppAsync(IReadOnlyDictionary<string, string>? extra = null, Action<IServiceCollection>? services = null)
    {
        var args = Settings(extra).Select(kv => $"--{kv.Key}={kv.Value}").ToArray();
        var app = BeaconApp.Build(args, b =>
        {
            b.Services.AddSingleton<TimeProvider>(Clock);
            b.Services.AddSingleton(new StoragePipelineOptions
            {
                Transport = Faults, MaxRetries = 2, Delay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20),
            });
            if (!WritesFleetView) b.Services.Remove(b.Services.Single(d => d.ImplementationType == typeof(Beacon.Api.Fleet.FleetWriter)));
            services?.Invoke(b.Services); // after the defaults, so a test can replace one (its own clock, say)
            b.Logging.ClearProviders();
            b.Logging.AddProvider(Logs);
            b.Logging.SetMinimumLevel(LogLevel.Trace);
        });
        await app.StartAsync();
        _apps.Add(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address) });
    }

    /// <summary>
    /// A timer run over this app's storage, with rollup options for tests (no grace, no staging unless
    /// asked) and an optional hook after every saved rollup step (to simulate a crash part-way).
    /// </summary>
    public MaintenanceRun Run(RollupOptions? options = null, Func<string, CancellationToken, Task>? afterStep = null, IServiceProvider? services = null)
    {
        options ??= new RollupOptions { StageExports = false, Grace = TimeSpan.Zero };
        var job = ActivatorUtilities.CreateInstance<RollupJob>(services ?? Services, options);
        job.AfterStep = afterStep;
        return ActivatorUtilities.CreateInstance<MaintenanceRun>(services ?? Services, options, job);
    }

    /// <summary>
    /// Runs the timer for one org until its rollups have nothing left to do (old months are backfilled a bounded
    /// number of steps per run): then its open statement lines count every day that is over.
    /// </summary>
    public async Task RollupAsync(string orgId, IServiceProvider? services = null)
    {
        for (int i = 0; i < 10; i++)
        {
            var report = await Run(services: services).RunAsync(null, orgId);
            if (report.Orgs.All(o => o.StepsDeferred == 0 && o.Error is null)) return;
        }
        throw new InvalidOperationException($"The rollups of org {orgId} did not catch up in ten runs.");
    }

    /// <summary>
    /// A new organization with two workspaces (and its Default one), a user who reads all three, a license and an
    /// org-wide API key; in the fixture's storage, or in that of the app whose <paramref name="services"/> are given.
    /// </summary>
    public async Task<TestOrg> NewOrgAsync(string? name = null, IServiceProvider? services = null)
    {
        var directory = (services ?? Services).GetRequiredService<DirectoryStore>();
        var credentials = (services ?? Services).GetRequiredService<CredentialStore>();
        var org = await directory.CreateOrgAsync(name ?? "Org " + Guid.NewGuid().ToString("N")[..6]);
        var wsA = Guid.NewGuid().ToString("D");
        var wsB = Guid.NewGuid().ToString("D");
        await directory.CreateWorkspaceAsync(org.OrgId, wsA, "Workspace A");
        await directory.CreateWorkspaceAsync(org.OrgId, wsB, "Workspace B");
        // The user reads both workspaces and the org's Default one (where usage without a workspace shows).
        var user = await directory.CreateUserAsync(org.OrgId, "ada@example.com", [wsA, wsB, org.DefaultWorkspaceId!]);
        var (license, licenseRecord) = await credentials.CreateLicenseAsync(org.OrgId, "enterprise", null, ["agent_deployments", "traces"]);
        var (apiKey, keyRecord) = await credentials.CreateApiKeyAsync(org.OrgId, user.UserId, [ApiKeyRecord.OrganizationRead], null);
        return new TestOrg(org.OrgId, wsA, wsB, user.UserId, license, licenseRecord.LicenseId, apiKey, keyRecord, org.DefaultWorkspaceId!);
    }

    public async Task<HttpResponseMessage> PostJsonAsync(string path, string json, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
        return await Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body) => Http.PostAsJsonAsync(path, body);

    /// <summary>Every entity an org has in <paramref name="table"/> (partition = org id, or starts with "org|").</summary>
    public async Task<List<TableEntity>> RawAsync(TableClient table, string orgId) =>
        await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ge {orgId} and PartitionKey lt {orgId + "}"}")).ToListAsync();

    /// <summary>How many usage entities of any kind an org has: zero means nothing was stored.</summary>
    public async Task<int> StoredUsageCountAsync(string orgId)
    {
        int n = 0;
        foreach (var t in new[] { Tables.UsageWindows, Tables.WindowSpans, Tables.TraceIds, Tables.TraceTransactions, Tables.DirtyDays })
            n += (await RawAsync(t, orgId)).Count;
        return n;
    }
}
