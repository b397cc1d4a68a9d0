using System.Net;
using System.Text.Json;
using Beacon.Alerts;
using Beacon.Tests.Vendor;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Alerts;

/// <summary>
/// Webhook delivery (SPEC §18) against Azurite and a Node receiver that verifies every request with the npm
/// <c>standardwebhooks</c> package: signing, the secret shown once, retries on the documented schedule, the
/// delivery log, redelivery, and an endpoint disabled after five days of failures.
/// </summary>
[Collection(AlertsCollection.Name)]
public sealed class WebhookDeliveryTests(BeaconFixture f)
{
    private Task<AlertsReport> RunAlertsAsync() => f.Services.GetRequiredService<AlertsRun>().RunAsync();

    private async Task<(string Id, string Secret)> CreateAsync(string key, WebhookReceiver receiver, string name, string rest = "", string[]? events = null)
    {
        var response = await Operators.SendAsync(f.Http, HttpMethod.Post, "/api/v1/operator/webhooks", key, new { url = receiver.Url(name, rest), events = events ?? [], description = "test " + name });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var created = JsonDocument.Parse(body).RootElement;
        var (id, secret) = (created.GetProperty("id").GetString()!, created.GetProperty("secret").GetString()!);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        await receiver.SecretAsync(name, secret);
        return (id, secret);
    }

    private async Task<string> TestEventAsync(string key, string webhookId)
    {
        var response = await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/webhooks/{webhookId}/test", key, new { });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("event_id").GetString()!;
    }

    private async Task<List<JsonElement>> DeliveriesAsync(string key, string webhookId) =>
        [.. (await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/webhooks/{webhookId}/deliveries", key)).GetProperty("deliveries").EnumerateArray()];

    [Fact]
    public async Task A_test_event_reaches_the_receiver_signed_and_the_secret_is_shown_only_once()
    {
        var key = await Operators.NewKeyAsync(f, "ops-webhooks");
        await using var receiver = await WebhookReceiver.StartAsync();
        await receiver.ClockAsync(f.Clock.GetUtcNow());
        var (id, secret) = await CreateAsync(key, receiver, "signed");
        var eventId = await TestEventAsync(key, id);
        await RunAlertsAsync();

        var request = Assert.Single(receiver.Requests("/hook/signed"));
        Assert.True(request.GetProperty("verified").GetBoolean(), request.ToString());
        Assert.Equal(eventId, request.GetProperty("id").GetString());
        var e = request.GetProperty("event");
        Assert.Equal("webhook.test", e.GetProperty("type").GetString());
        Assert.Equal(id, e.GetProperty("data").GetProperty("webhook_id").GetString());
        Assert.EndsWith("Z", e.GetProperty("timestamp").GetString(), StringComparison.Ordinal);

        var delivery = Assert.Single(await DeliveriesAsync(key, id));
        Assert.Equal(("delivered", 1, 200), (delivery.GetProperty("status").GetString(), delivery.GetProperty("attempts").GetInt32(), delivery.GetProperty("last_status_code").GetInt32()));
        Assert.Equal(eventId, delivery.GetProperty("event_id").GetString());

        // Run again: nothing is sent twice.
        await RunAlertsAsync();
        Assert.Single(receiver.Requests("/hook/signed"));

        var listing = (await Operators.GetJsonAsync(f.Http, "/api/v1/operator/webhooks", key)).ToString();
        Assert.Contains(id, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[6..], (await Operators.GetJsonAsync(f.Http, "/api/v1/operator/audit?limit=100", key)).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret[6..], f.Logs.All, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await Operators.SendAsync(f.Http, HttpMethod.Delete, $"/api/v1/operator/webhooks/{id}", key)).StatusCode);
    }

    [Fact]
    public async Task A_receiver_that_fails_three_times_gets_the_event_on_the_fourth_attempt_and_the_log_shows_each()
    {
        var key = await Operators.NewKeyAsync(f, "ops-retries");
        await using var receiver = await WebhookReceiver.StartAsync();
        var (id, _) = await CreateAsync(key, receiver, "flaky", "/fail/3");
        var t = f.Clock.GetUtcNow();
        f.Clock.Freeze(t); // attempts are timed by this clock: each retry is due exactly when the schedule says
        try
        {
            await receiver.ClockAsync(t);
            var eventId = await TestEventAsync(key, id);
            // 5 s, 5 min and 30 min after each failure (SPEC §18): nothing is sent a second before its time.
            foreach (var wait in new[] { TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30) })
            {
                int before = receiver.Requests("/hook/flaky").Count;
                if (wait > TimeSpan.Zero)
                {
                    f.Clock.Freeze(t += wait - TimeSpan.FromSeconds(1));
                    await RunAlertsAsync();
                    Assert.Equal(before, receiver.Requests("/hook/flaky").Count);
                    f.Clock.Freeze(t += TimeSpan.FromSeconds(1));
                }
                await receiver.ClockAsync(t);
                await RunAlertsAsync();
                Assert.Equal(before + 1, receiver.Requests("/hook/flaky").Count);
            }
            CheckRetries(receiver, eventId);
            var delivery = Assert.Single(await DeliveriesAsync(key, id));
            Assert.Equal(("delivered", 4, 200), (delivery.GetProperty("status").GetString(), delivery.GetProperty("attempts").GetInt32(), delivery.GetProperty("last_status_code").GetInt32()));

            // Redelivery: due at once, sent by the next run, the same event id.
            var redeliver = await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/webhooks/deliveries/{delivery.GetProperty("delivery_id").GetString()}/redeliver", key, new { });
            Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
            await RunAlertsAsync();
            Assert.Equal(eventId, receiver.Requests("/hook/flaky")[^1].GetProperty("id").GetString());
            Assert.Equal(5, (await DeliveriesAsync(key, id))[0].GetProperty("attempts").GetInt32());
        }
        finally
        {
            f.Clock.Reset();
        }
        await Operators.SendAsync(f.Http, HttpMethod.Delete, $"/api/v1/operator/webhooks/{id}", key);
    }

    private static void CheckRetries(WebhookReceiver receiver, string eventId)
    {
        var requests = receiver.Requests("/hook/flaky");
        Assert.Equal([500, 500, 500, 200], requests.Select(r => r.GetProperty("status").GetInt32()));
        Assert.All(requests, r => Assert.True(r.GetProperty("verified").GetBoolean() && r.GetProperty("id").GetString() == eventId, r.ToString()));
    }

    [Fact]
    public async Task An_endpoint_failing_for_five_days_is_disabled_and_audited_and_a_failed_delivery_stops_after_three_days()
    {
        var key = await Operators.NewKeyAsync(f, "ops-disable");
        await using var receiver = await WebhookReceiver.StartAsync();
        var (id, _) = await CreateAsync(key, receiver, "down", "/fail/1000000");
        var start = f.Clock.GetUtcNow();
        var t = start;
        string? disabledAt = null;
        f.Clock.Freeze(t);
        try
        {
            await TestEventAsync(key, id);
            for (int step = 0; step < 14 && disabledAt is null; step++)
            {
                await receiver.ClockAsync(f.Clock.GetUtcNow());
                await RunAlertsAsync();
                var endpoint = (await Operators.GetJsonAsync(f.Http, "/api/v1/operator/webhooks", key)).GetProperty("webhooks").EnumerateArray().Single(w => w.GetProperty("id").GetString() == id);
                Assert.Equal(JsonValueKind.String, endpoint.GetProperty("failing_since").ValueKind);
                disabledAt = endpoint.GetProperty("disabled_at").ValueKind == JsonValueKind.String ? endpoint.GetProperty("disabled_at").GetString() : null;
                f.Clock.Freeze(t += TimeSpan.FromHours(10));
                if (step % 2 == 1) await TestEventAsync(key, id); // new failures keep the endpoint failing after the first delivery gives up
            }
        }
        finally
        {
            f.Clock.Reset();
        }
        Assert.NotNull(disabledAt);
        var elapsed = DateTimeOffset.Parse(disabledAt, System.Globalization.CultureInfo.InvariantCulture) - start;
        Assert.InRange(elapsed, TimeSpan.FromDays(5), TimeSpan.FromDays(5) + TimeSpan.FromHours(10));
        var deliveries = await DeliveriesAsync(key, id);
        var first = deliveries[^1];
        Assert.Equal("failed", first.GetProperty("status").GetString()); // three days of retries, then given up
        Assert.Equal(JsonValueKind.Null, first.GetProperty("next_attempt_at").ValueKind);
        Assert.Equal(500, first.GetProperty("last_status_code").GetInt32());
        var audit = (await Operators.GetJsonAsync(f.Http, "/api/v1/operator/audit?limit=100", key)).GetProperty("records").EnumerateArray()
            .Single(r => r.GetProperty("action").GetString() == "webhook.disable" && r.GetProperty("target").GetString() == "webhook:" + id);
        Assert.Equal("beacon", audit.GetProperty("actor").GetString());
        await Operators.SendAsync(f.Http, HttpMethod.Delete, $"/api/v1/operator/webhooks/{id}", key);
    }

    [Fact]
    public async Task The_cli_creates_lists_and_deletes_endpoints_printing_the_secret_once_and_auditing_as_the_cli()
    {
        async Task<(int Code, JsonElement Json, string Err)> CliAsync(params string[] args)
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await Beacon.Cli.CliApp.RunAsync([.. args, "--json"], stdout, stderr, new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = f.ConnectionString, ["Beacon:AllowInsecureWebhooks"] = "true",
            });
            var text = stdout.ToString();
            return (code, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default, stderr.ToString());
        }
        var created = await CliAsync("admin", "webhook", "create", "--url", "http://127.0.0.1:9/cli", "--event", "quota.warning", "--event", "quota.exceeded");
        Assert.True(created.Code == 0, created.Err);
        Assert.Equal(["events", "id", "secret", "url"], created.Json.EnumerateObject().Select(p => p.Name).Order());
        var (id, secret) = (created.Json.GetProperty("id").GetString()!, created.Json.GetProperty("secret").GetString()!);
        var listed = await CliAsync("admin", "webhook", "list");
        var mine = listed.Json.GetProperty("webhooks").EnumerateArray().Single(w => w.GetProperty("id").GetString() == id);
        Assert.Equal(["quota.warning", "quota.exceeded"], mine.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain(secret, listed.Json.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, (await CliAsync("admin", "webhook", "create", "--url", "http://127.0.0.1:9/x", "--event", "quota.melted")).Code); // an unknown type
        Assert.Equal(0, (await CliAsync("admin", "webhook", "delete", "--id", id)).Code);
        Assert.Equal(1, (await CliAsync("admin", "webhook", "delete", "--id", id)).Code);

        var key = await Operators.NewKeyAsync(f, "ops-cli-audit");
        var audit = (await Operators.GetJsonAsync(f.Http, "/api/v1/operator/audit?limit=100", key)).GetProperty("records").EnumerateArray()
            .Where(r => r.GetProperty("target").GetString() == "webhook:" + id).Select(r => (r.GetProperty("action").GetString(), r.GetProperty("actor").GetString())).ToList();
        Assert.Equal([("webhook.delete", "cli"), ("webhook.create", "cli")], audit);
    }
}
