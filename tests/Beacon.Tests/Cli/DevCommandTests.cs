using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Cli;
using Beacon.Tests.Vendor;

namespace Beacon.Tests.Cli;

/// <summary>
/// <c>beacon dev</c>, what <c>npm start</c> runs after its build, from an empty data folder: Azurite started, the
/// demo seeded and printed, the API answering, and the live replicas reporting over HTTP. Its own Azurite
/// (free ports) and folder, so it runs beside a developer's own <c>npm start</c>.
/// </summary>
[Trait("Tier", "Slow")] // seeds a demo in a beacon process
public sealed class DevCommandTests
{
    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task A_first_start_seeds_the_demo_prints_its_keys_and_its_replicas_keep_reporting()
    {
        var data = Directory.CreateTempSubdirectory("beacon-dev-").FullName;
        var url = $"http://127.0.0.1:{FreePort()}";
        using var stop = new CancellationTokenSource();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var run = Task.Run(() => CliApp.RunAsync(["dev", "--urls", url, "--data", data, "--azurite-ports", "free", "--demo-interval", "00:00:02"],
            TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), new Dictionary<string, string?>(), stop.Token));
        try
        {
            var until = DateTime.UtcNow.AddMinutes(4);
            // Progress and the keys go to stderr (stdout is kept for --json).
            while (!stderr.ToString().Contains("Press Ctrl+C to stop.", StringComparison.Ordinal))
            {
                Assert.False(run.IsCompleted, $"dev ended early: {stderr}\n{stdout}");
                Assert.True(DateTime.UtcNow < until, "dev did not get ready within 4 minutes:\n" + stderr);
                await Task.Delay(100); // how often to look again; the deadline above is a timeout
            }
            var printed = stderr.ToString();
            var demo = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(data, "demo.json"))).RootElement;
            var (apiKey, license, operatorKey) = (demo.GetProperty("ApiKey").GetString()!, demo.GetProperty("LicenseKey").GetString()!, demo.GetProperty("OperatorKey").GetString()!);
            foreach (var secret in new[] { apiKey, license, operatorKey }) Assert.Contains(secret, printed, StringComparison.Ordinal);
            Assert.Contains($"{url}/dashboard/", printed, StringComparison.Ordinal);
            Assert.Contains("Live demo: 9 simulated replicas", printed, StringComparison.Ordinal);
            // The admin example points at this run's Azurite (free ports here), not at the usual 10000/10002.
            var example = printed.Split('\n').Single(l => l.Contains("admin org create", StringComparison.Ordinal));
            Assert.DoesNotContain("UseDevelopmentStorage", example, StringComparison.Ordinal);
            Assert.Matches(@"TableEndpoint=http://127\.0\.0\.1:\d+/devstoreaccount1", example);

            using var http = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/v1/beacon/verify", new { license })).StatusCode);

            // The replicas report every 2 s here, over HTTP like the client's: the org's billed uptime keeps growing.
            // (Their fleet record moves too, but at most once a minute: FleetRecorder.WriteInterval.)
            var workspaces = (await (await Usage.UsageClient.GetAsync(http, "/api/v1/orgs/current/workspaces", apiKey)).Content.ReadFromJsonAsync<JsonElement>())
                .GetProperty("workspaces").EnumerateArray().Select(w => w.GetProperty("workspace_id").GetString()!).ToList();
            async Task<long> UptimeAsync()
            {
                var today = DateTime.UtcNow.Date;
                var query = Usage.UsageClient.QueryString("langsmith_deployments", "project", null, $"{today.AddDays(-1):yyyy-MM-dd}", $"{today.AddDays(1):yyyy-MM-dd}", workspaces);
                return (await Usage.UsageClient.QueryAsync(http, apiKey, query, "project")).Rows.Sum(r => r.Uptime);
            }
            var first = await UptimeAsync();
            var later = await Operators.EventuallyAsync(UptimeAsync, u => u > first);
            Assert.True(later > first, $"the demo's uptime stayed at {first} s");
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        Assert.True(run.IsCompleted, "dev did not stop when asked");
    }
}
