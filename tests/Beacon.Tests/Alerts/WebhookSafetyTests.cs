using System.Net;
using System.Text.Json;
using Beacon.Alerts;
using Beacon.Tests.Vendor;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Alerts;

/// <summary>
/// What a webhook may not reach (SPEC §18). The strict app here allows no insecure webhooks and resolves
/// test names through <see cref="StubNetwork"/>, which maps them to private, metadata and loopback
/// addresses and fails the test if a connection to any of them is ever attempted: this machine sends
/// nothing to a non-loopback address.
/// </summary>
[Collection(AlertsCollection.Name)]
public sealed class WebhookSafetyTests(BeaconFixture f)
{
    /// <summary>Test names to addresses Beacon must refuse; any connection attempt is recorded (and refused).</summary>
    private sealed class StubNetwork : WebhookNetwork
    {
        public static readonly Dictionary<string, IPAddress> Names = new()
        {
            ["intranet.test"] = IPAddress.Parse("10.0.0.7"),
            ["metadata.test"] = IPAddress.Parse("169.254.169.254"),
            ["loop.test"] = IPAddress.IPv6Loopback,
        };

        public List<string> Connections { get; } = [];

        public override Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
            Task.FromResult(Names.TryGetValue(host, out var a) ? new[] { a } : []);

        public override Task<Stream> ConnectAsync(IPAddress[] addresses, int port, CancellationToken ct)
        {
            lock (Connections) Connections.Add(string.Join(",", addresses.Select(a => a.ToString())));
            throw new InvalidOperationException("A webhook tried to connect to " + string.Join(",", addresses.Select(a => a.ToString())));
        }
    }

    [Fact]
    public async Task Http_urls_and_private_metadata_or_loopback_addresses_are_refused_at_creation_or_before_any_connection()
    {
        await using var own = await Azurite.Azurite.StartAsync(Testing.AzuriteFixture.RepositoryRoot);
        var network = new StubNetwork();
        var (app, http) = await f.StartAppAsync(new Dictionary<string, string> { ["AzureWebJobsStorage"] = own.ConnectionString, ["Beacon:AllowInsecureWebhooks"] = "false" },
            s => s.AddSingleton<WebhookNetwork>(network));
        await using var stopped = app;
        await app.Services.GetRequiredService<Beacon.Hosting.StorageReadiness>().EnsureAsync(CancellationToken.None);
        var key = (await app.Services.GetRequiredService<Beacon.Storage.Stores.CredentialStore>().CreateOperatorKeyAsync("ops-strict")).OperatorKey;

        foreach (var url in new[] { "http://127.0.0.1:9/hook", "http://example.com/hook", "https://169.254.169.254/latest/meta-data", "https://10.1.2.3/hook",
                     "https://[::1]/hook", "https://127.0.0.1/hook", "ftp://example.com/x", "https://user:pw@example.com/x", "not a url" })
        {
            var refused = await Operators.SendAsync(http, HttpMethod.Post, "/api/v1/operator/webhooks", key, new { url, events = Array.Empty<string>() });
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)refused.StatusCode}");
        }
        var unknown = await Operators.SendAsync(http, HttpMethod.Post, "/api/v1/operator/webhooks", key, new { url = "https://hooks.example.com/x", events = new[] { "license.exploded" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        // Names that resolve inside: accepted (a name is not an address), refused at delivery before any connection.
        var ids = new List<string>();
        foreach (var host in StubNetwork.Names.Keys)
        {
            var created = await Operators.SendAsync(http, HttpMethod.Post, "/api/v1/operator/webhooks", key, new { url = $"https://{host}/hook", events = Array.Empty<string>() });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            ids.Add(id);
            Assert.Equal(HttpStatusCode.Accepted, (await Operators.SendAsync(http, HttpMethod.Post, $"/api/v1/operator/webhooks/{id}/test", key, new { })).StatusCode);
        }
        await app.Services.GetRequiredService<AlertsRun>().RunAsync();
        Assert.Empty(network.Connections);
        foreach (var (id, host) in ids.Zip(StubNetwork.Names.Keys))
        {
            var delivery = (await Operators.GetJsonAsync(http, $"/api/v1/operator/webhooks/{id}/deliveries", key)).GetProperty("deliveries")[0];
            Assert.Equal(("pending", 1), (delivery.GetProperty("status").GetString(), delivery.GetProperty("attempts").GetInt32()));
            Assert.Contains($"{host} resolves to", delivery.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_counts_as_a_failed_attempt()
    {
        var key = await Operators.NewKeyAsync(f, "ops-redirect");
        await using var receiver = await WebhookReceiver.StartAsync();
        await receiver.ClockAsync(f.Clock.GetUtcNow());
        var created = await Operators.SendAsync(f.Http, HttpMethod.Post, "/api/v1/operator/webhooks", key, new { url = receiver.Url("moved", "/redirect"), events = Array.Empty<string>() });
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var id = body.GetProperty("id").GetString()!;
        await receiver.SecretAsync("moved", body.GetProperty("secret").GetString()!);
        await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/webhooks/{id}/test", key, new { });
        await f.Services.GetRequiredService<AlertsRun>().RunAsync();

        Assert.Single(receiver.Requests("/hook/moved"));
        Assert.Empty(receiver.Requests("/landed/"));
        var delivery = (await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/webhooks/{id}/deliveries", key)).GetProperty("deliveries")[0];
        Assert.Equal(("pending", 302), (delivery.GetProperty("status").GetString(), delivery.GetProperty("last_status_code").GetInt32()));
        Assert.Contains("not followed", delivery.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        await Operators.SendAsync(f.Http, HttpMethod.Delete, $"/api/v1/operator/webhooks/{id}", key);
    }
}
