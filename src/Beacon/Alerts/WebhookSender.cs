using Beacon.Settings;
using System.Text;
using System.Text.Json;
using Beacon.Domain.Alerts;
using Beacon.Storage.Alerts;
using Beacon.Storage.Stores;
using Microsoft.Extensions.Options;
using StandardWebhooks;

namespace Beacon.Alerts;

/// <summary>
/// Sends what is due (SPEC §18): each delivery claimed by one instance at a time, signed by the Standard
/// Webhooks library (headers <c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>), sent
/// with a 10 s timeout, no redirects followed and every resolved address checked, each endpoint's in the order they fell due. A 2xx is delivered;
/// anything else is retried on <see cref="RetrySchedule"/> for three days; an endpoint failing for five days
/// is disabled and audited. At least once: a crash after sending and before saving sends again.
/// </summary>
public sealed class WebhookSender(WebhookStore store, WebhookNetwork network, AuditLog audit, IOptions<BeaconOptions> options, TimeProvider time, ILogger<WebhookSender> logger)
    : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const int MaxKeptResponse = 1024;
    private const int BatchSize = 100;
    private const int Parallelism = 4;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    private readonly Lazy<HttpClient> _http = new(() => new HttpClient(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = await network.ResolveAsync(host, ct);
            if (addresses.Length == 0) throw new WebhookRefusedException($"{host} does not resolve.");
            foreach (var a in addresses)
                if (WebhookAddress.Forbidden(a, options.Value.AllowInsecureWebhooks) is { } why)
                    throw new WebhookRefusedException($"{host} resolves to {why} address ({a}), which webhooks may not reach.");
            return await network.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
        },
    }) { Timeout = Timeout });

    public void Dispose()
    {
        if (_http.IsValueCreated) _http.Value.Dispose();
    }

    /// <summary>Sends every delivery due now (in batches); how many attempts were made.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        int attempts = 0;
        for (int round = 0; round < 10; round++)
        {
            var due = await store.DueAsync(time.GetUtcNow(), BatchSize, ct);
            if (due.Count == 0) break;
            int made = 0;
            // Endpoints in parallel; each endpoint's deliveries one after another, in the order they fell due
            // (so a receiver gets quota.warning before quota.exceeded when both were emitted in that order).
            await Parallel.ForEachAsync(due.GroupBy(p => p.EndpointId), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (endpoint, token) =>
            {
                foreach (var p in endpoint)
                    if (await TrySendAsync(p.EndpointId, p.Row, p.At, p.PointerRow, token)) Interlocked.Increment(ref made);
            });
            attempts += made;
            if (due.Count < BatchSize) break;
        }
        return attempts;
    }

    private async Task<bool> TrySendAsync(string endpointId, string row, DateTimeOffset pointerAt, string pointerRow, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var d = await store.GetDeliveryAsync(endpointId, row, ct);
        if (d is null || d.Status != WebhookDelivery.Pending || d.NextAttemptAt is not { } nextAt || nextAt > pointerAt + TimeSpan.FromSeconds(1))
        {
            // Delivered, failed, gone, or moved to a later attempt (with its own pointer): this pointer is spent.
            await store.DropPointerAsync(pointerRow, ct);
            return false;
        }
        if (nextAt > now || d.ClaimedUntil > now) return false; // not yet, or another instance is sending it
        if (await store.TryClaimAsync(d, now + Lease, ct) is not { } claimed) return false;

        var endpoint = await store.GetEndpointAsync(endpointId, ct);
        var e = await store.GetEventAsync(d.EventId, ct);
        var (ok, status, error) = endpoint is null ? (false, (int?)null, "The endpoint was deleted.")
            : endpoint.DisabledAt is not null && e?.Type != EventTypes.WebhookTest ? (false, null, "The endpoint is disabled.")
            : e is null ? (false, null, "The event is gone.")
            : await AttemptAsync(endpoint, e, ct);
        now = time.GetUtcNow();
        var first = d.FirstAttemptAt ?? now;
        var attempts = d.Attempts + 1;
        var retryAt = ok || endpoint is null || e is null ? null : RetrySchedule.NextAttempt(attempts, first, now);
        var next = claimed with
        {
            Status = ok ? WebhookDelivery.Delivered : retryAt is null ? WebhookDelivery.Failed : WebhookDelivery.Pending,
            Attempts = attempts, FirstAttemptAt = first, NextAttemptAt = retryAt, LastStatusCode = status, LastError = ok ? null : error,
        };
        try
        {
            await store.SaveAttemptAsync(claimed, next, pointerRow, ct);
        }
        catch (Azure.RequestFailedException x) when (x.Status == 412)
        {
            logger.LogWarning("Delivery {Delivery} outlived its lease; another instance may send it again", claimed.DeliveryId);
        }
        if (endpoint is not null) await RecordHealthAsync(endpoint, ok, now, ct);
        return true;
    }

    private async Task<(bool Ok, int? Status, string? Error)> AttemptAsync(WebhookEndpoint endpoint, WebhookEvent e, CancellationToken ct)
    {
        var body = Body(e);
        var sentAt = time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", e.Id);
        request.Headers.Add("webhook-timestamp", sentAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(endpoint.Secret).Sign(e.Id, sentAt, body));
        request.Headers.UserAgent.ParseAdd("Beacon-Webhooks/1");
        try
        {
            using var response = await _http.Value.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var code = (int)response.StatusCode;
            if (code is >= 200 and < 300) return (true, code, null);
            return (false, code, await HeadAsync(response, ct));
        }
        catch (HttpRequestException x) when (x.InnerException is WebhookRefusedException refused)
        {
            return (false, null, refused.Message);
        }
        catch (HttpRequestException x)
        {
            return (false, null, "Connection failed: " + x.Message);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, null, $"No answer within {Timeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>The start of a refusal's body (1 KiB at most), for the delivery log; a redirect says where it pointed and that it was not followed.</summary>
    private static async Task<string> HeadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var buffer = new byte[MaxKeptResponse];
        int n = 0;
        await using (var stream = await response.Content.ReadAsStreamAsync(ct))
            for (int read; n < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(n), ct)) > 0;) n += read;
        var text = Encoding.UTF8.GetString(buffer, 0, n);
        var redirect = (int)response.StatusCode is >= 300 and < 400 ? $"Redirect to {response.Headers.Location} not followed. " : "";
        return (redirect + $"HTTP {(int)response.StatusCode}: " + text).Trim();
    }

    /// <summary>The payload every delivery carries: <c>{type, timestamp, data}</c>.</summary>
    public static string Body(WebhookEvent e)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", e.Type);
            w.WriteString("timestamp", e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            w.WritePropertyName("data");
            using (var data = JsonDocument.Parse(e.Data)) data.RootElement.WriteTo(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private async Task RecordHealthAsync(WebhookEndpoint endpoint, bool ok, DateTimeOffset now, CancellationToken ct)
    {
        if (ok)
        {
            if (endpoint.FailingSince is not null) await store.TrySetHealthAsync(endpoint, null, endpoint.DisabledAt, ct);
            return;
        }
        if (endpoint.DisabledAt is not null) return;
        var since = endpoint.FailingSince ?? now;
        var disable = now - since >= RetrySchedule.DisableAfter;
        if (!await store.TrySetHealthAsync(endpoint, since, disable ? now : null, ct) || !disable) return;
        logger.LogWarning("Webhook endpoint {Endpoint} disabled after failing since {Since:O}", endpoint.Id, since);
        await audit.AppendAsync(AuditLog.SystemActor, "webhook.disable", "webhook:" + endpoint.Id, new Dictionary<string, string?>
        {
            ["url"] = endpoint.Url, ["failing_since"] = since.ToString("O"),
        }, ct);
    }
}
