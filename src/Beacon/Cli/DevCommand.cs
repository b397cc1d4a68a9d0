using System.Diagnostics;
using System.Text.Json;
using Beacon.Hosting;
using Beacon.Azurite;
using Beacon.Storage.Stores;

namespace Beacon.Cli;

/// <summary>
/// <c>beacon dev</c> (what <c>npm start</c> runs): everything a newcomer needs in one command. Installs
/// the npm packages if needed, starts Azurite with its data in <c>.azurite/</c> on its default ports,
/// seeds the demo organization on first start, serves the API and dashboard, and prints how to sign in.
/// </summary>
internal static class DevCommand
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static async Task<int> RunAsync(CliArgs args, CliOutput output, CancellationToken ct)
    {
        var root = Azurite.Azurite.FindRepositoryRoot(Directory.GetCurrentDirectory());
        if (!File.Exists(Path.Combine(root, "node_modules", "azurite", "package.json")))
        {
            output.Info("Installing npm packages (Azurite, chart library)…");
            using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = root })
                            ?? throw new InvalidOperationException("Could not run npm.");
            await npm.WaitForExitAsync(ct);
            if (npm.ExitCode != 0) return output.Fail("npm ci failed.");
        }

        var urls = args.Optional("urls") ?? DefaultUrl;
        var baseUrl = urls.Split(';')[0].TrimEnd('/');
        // --data and --azurite-ports free: a second, throwaway demo beside the usual one (the test of this command uses them).
        var freePorts = args.Optional("azurite-ports") == "free";
        if (await WhyNotStartAsync(baseUrl, checkAzurite: !freePorts, ct) is { } busy) return output.Fail(busy);

        var data = Path.GetFullPath(args.Optional("data") ?? Path.Combine(root, ".azurite"));
        output.Info($"Starting Azurite (data in {Path.GetRelativePath(root, data)}/)…");
        await using var azurite = freePorts
            ? await Azurite.Azurite.StartAsync(root, data, ct: ct)
            : await Azurite.Azurite.StartAsync(root, data, tablePort: 10002, blobPort: 10000, ct: ct);

        // Development: webhooks may go to a receiver on this machine over http (SPEC §18; never in a deployment).
        var storage = freePorts ? azurite.ConnectionString : "UseDevelopmentStorage=true";
        var app = BeaconApp.Build([$"--urls={urls}", $"--AzureWebJobsStorage={storage}", "--Beacon:AllowInsecureWebhooks=true"]);
        await app.StartAsync(ct);
        // The app creates its tables before the first request that needs them; the demo is seeded before any request.
        await app.Services.GetRequiredService<StorageReadiness>().EnsureAsync(ct);

        var demo = await LoadOrSeedDemoAsync(app.Services, Path.Combine(data, "demo.json"), baseUrl, output, ct);
        output.Info(Describe(demo, storage));
        var replicas = await LiveReplicasAsync(app.Services, demo, ct);
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var live = new DemoReplicas(http, replicas, DemoInterval(args), TimeProvider.System, output.Info).RunAsync(app.Lifetime.ApplicationStopping);
        output.Info($"Live demo: {replicas.Count} simulated replicas report every {DemoInterval(args).TotalMinutes:0.##} minutes while this runs "
            + "(Data Pipeline Agent stays silent on purpose).");
        output.Info("Press Ctrl+C to stop.");
        await app.WaitForShutdownAsync(ct);
        await live;
        return 0;
    }

    /// <summary>How often the live replicas report: the client's 5 minutes unless <c>--demo-interval</c> (a TimeSpan) says otherwise.</summary>
    private static TimeSpan DemoInterval(CliArgs args) =>
        args.Optional("demo-interval") is { } text
            ? TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var t) && t >= TimeSpan.FromSeconds(1) && t <= TimeSpan.FromHours(1)
                ? t
                : throw new CliUsageException($"--demo-interval must be a time span from 00:00:01 to 01:00:00, got '{text}'.")
            : DemoReplicas.ClientInterval;

    /// <summary>
    /// A simulated replica per replica of each demo deployment that is meant to be reporting. Deployments
    /// reported with grace's or linus's API key need its secret, which demo files from before the live demo lack.
    /// </summary>
    internal static async Task<IReadOnlyList<DemoReplicas.Replica>> LiveReplicasAsync(IServiceProvider services, SeedDemo.Result demo, CancellationToken ct)
    {
        var (cast, origin) = await new SeedDemo(services, TimeProvider.System).CastAsync(demo, ct);
        var projects = (await services.GetRequiredService<DirectoryStore>().ListProjectsAsync(cast.OrgId, ct))
            .GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First().ProjectId);
        var replicas = new List<DemoReplicas.Replica>();
        foreach (var d in new DemoUsage(services, cast, origin).Deployments().Where(d => d.SilentHours == 0 && projects.ContainsKey(d.Name)))
        {
            (string Field, string Secret)? credential = d.Reporter.CredentialKind == "license" ? ("license_key", demo.LicenseKey)
                : d.Reporter == Reporter.ForApiKey(cast.GraceKey) && demo.ReporterKeys?.GetValueOrDefault("grace@demo.example") is { } g ? ("api_key", g)
                : d.Reporter == Reporter.ForApiKey(cast.LinusKey) && demo.ReporterKeys?.GetValueOrDefault("linus@demo.example") is { } l ? ("api_key", l)
                : null;
            if (credential is not { } c) continue;
            for (int i = 0; i < d.Replicas; i++)
                replicas.Add(new DemoReplicas.Replica($"{d.Name} #{i + 1}", d.Ws, projects[d.Name], c.Field, c.Secret, d.RunsPerHour / d.Replicas));
        }
        return replicas;
    }

    /// <summary>
    /// The demo credentials are kept in <c>.azurite/demo.json</c> (git-ignored, local Azurite data only)
    /// so every later start can print them again: secrets are otherwise shown only once.
    /// </summary>
    private static async Task<SeedDemo.Result> LoadOrSeedDemoAsync(IServiceProvider services, string file, string baseUrl, CliOutput output, CancellationToken ct)
    {
        if (File.Exists(file))
        {
            var saved = JsonSerializer.Deserialize(await File.ReadAllTextAsync(file, ct), CliFiles.Default.Result);
            if (saved is not null && await services.GetRequiredService<DirectoryStore>().GetOrgAsync(saved.OrgId, ct) is not null)
            {
                saved = saved with { DashboardUrl = baseUrl + "/dashboard/" };
                if (saved.OperatorKey is null)
                {
                    // A demo seeded before the vendor console: give it an operator key once.
                    var (key, _) = await services.GetRequiredService<CredentialStore>().CreateOperatorKeyAsync("demo-operator", ct);
                    saved = saved with { OperatorKey = key };
                }
                // Top the usage up to now, so the presets (which end at the last closed day) have data on
                // a start days after the seed.
                var through = saved.SeededThrough ?? new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero);
                var time = services.GetRequiredService<TimeProvider>();
                if (time.GetUtcNow() - through > TimeSpan.FromMinutes(30))
                {
                    output.Info($"Adding demo usage from {through:yyyy-MM-dd HH:mm} UTC to now…");
                    saved = saved with { SeededThrough = await new SeedDemo(services, time).TopUpAsync(saved, through, ct) };
                }
                await File.WriteAllTextAsync(file, JsonSerializer.Serialize(saved, CliFiles.Default.Result), ct);
                return saved;
            }
        }
        output.Info($"Seeding the demo organization ({SeedDemo.Days} days of usage; about a minute the first time)…");
        var demo = await new SeedDemo(services, services.GetRequiredService<TimeProvider>()).RunAsync(baseUrl, ct);
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(demo, CliFiles.Default.Result), ct);
        return demo;
    }

    /// <summary>
    /// Why this start cannot go on: Beacon already serving at <paramref name="baseUrl"/> (another
    /// <c>npm start</c>), or another program holding Azurite's or Beacon's port. Null when all is free.
    /// </summary>
    private static async Task<string?> WhyNotStartAsync(string baseUrl, bool checkAzurite, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            if ((await http.GetAsync(baseUrl + "/health", ct)).IsSuccessStatusCode)
                return $"Beacon is already running at {baseUrl} (another `npm start`?). Use that one — its keys are in .azurite/demo.json — or stop it with Ctrl+C in its terminal and start again.";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Nothing answers there: good.
        }
        var port = new Uri(baseUrl).Port;
        foreach (var (p, what) in new[] { (10000, "Azurite's Blob port"), (10002, "Azurite's Table port"), (port, "Beacon's port") })
        {
            if (!checkAzurite && p != port) continue;
            if (!InUse(p)) continue;
            return p == port
                ? $"Port {p} ({what}) is used by another program. Stop it, or start on another port: npm start -- --urls http://127.0.0.1:{p + 1}"
                : $"Port {p} ({what}) is used by another program — another Azurite? Stop it (or the other `npm start`) and start again.";
        }
        return null;
    }

    private static bool InUse(int port)
    {
        try
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return false;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return true;
        }
    }

    /// <param name="storage">The AzureWebJobsStorage setting of the storage the demo is in, for the admin example.</param>
    public static string Describe(SeedDemo.Result demo, string storage) => $"""

        Demo organization {demo.OrgId}
          Dashboard:    {demo.DashboardUrl}   (sign in with the API key)
          API key:      {demo.ApiKey}
          License key:  {demo.LicenseKey}
          Console:      {demo.ConsoleUrl}   (the vendor's view; sign in with the operator key)
          Operator key: {demo.OperatorKey}

        Try:  curl -s -H "X-Api-Key: {demo.ApiKey}" "{demo.DashboardUrl.Replace("/dashboard/", "", StringComparison.Ordinal)}/api/v1/orgs/current/workspaces"
        Admin commands against this Azurite (the Release build npm start made; no second build):
          AzureWebJobsStorage='{storage}' npm run -s beacon -- admin org create --name Acme --json
        """;
}
