using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Vendor;

/// <summary>What the operator tests share: an operator key, calls with it, and waiting for the fleet writer.</summary>
internal static class Operators
{
    public const string Header = "X-Operator-Key";

    public static async Task<string> NewKeyAsync(BeaconFixture f, string name = "ops-test")
    {
        var (key, _) = await f.Services.GetRequiredService<CredentialStore>().CreateOperatorKeyAsync(name);
        return key;
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Add(Header, key);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await http.SendAsync(request);
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient http, string path, string key)
    {
        var response = await SendAsync(http, HttpMethod.Get, path, key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The org's deployments as the operator API lists them.</summary>
    public static async Task<List<JsonElement>> DeploymentsAsync(BeaconFixture f, string key, string orgId) =>
        [.. (await GetJsonAsync(f.Http, $"/api/v1/operator/deployments?org_id={orgId}", key)).GetProperty("deployments").EnumerateArray()];

    /// <summary>The license as the org's listing shows it (and as its own route does: status and quotas are compared).</summary>
    public static async Task<JsonElement> LicenseAsync(BeaconFixture f, string key, string orgId, string licenseId)
    {
        var listed = (await GetJsonAsync(f.Http, $"/api/v1/operator/licenses?org_id={orgId}&limit=1000", key)).GetProperty("licenses").EnumerateArray()
            .Single(l => l.GetProperty("license_id").GetString() == licenseId);
        var own = await GetJsonAsync(f.Http, $"/api/v1/operator/licenses/{licenseId}", key);
        // (Not the reporting state: the fleet writer may record a report between the two reads.)
        Assert.Equal(listed.GetProperty("status").GetString(), own.GetProperty("status").GetString());
        Assert.Equal(listed.GetProperty("quotas").GetRawText(), own.GetProperty("quotas").GetRawText());
        return listed;
    }

    /// <summary>
    /// Polls until <paramref name="done"/> holds: the fleet writer runs every second, off the request path, and
    /// retries a write that failed a minute later (the README's "may lag a submit by up to a minute"), which a
    /// busy machine makes happen; so the default wait is past one retry.
    /// </summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, int seconds = 90)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > until) return value;
            await Task.Delay(100); // how often to look again, not a clock: the deadline above is a timeout
        }
    }

    /// <summary>One usage window in the current client's exact wire format, sent to the license copy's path.</summary>
    public static async Task SubmitAsync(BeaconFixture f, string licenseKey, DateTimeOffset from, DateTimeOffset to, long runs, string tenant, string project, string apiVersion = "0.5.23")
    {
        var body = ClientWindowBody.Format(from, to, runs, runs * 3, tenant, project, credential: licenseKey, apiVersion: apiVersion);
        var response = await f.PostJsonAsync("/v1/beacon/metadata/submit", body);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
    }

    public static async Task PostOtlpJsonAsync(BeaconFixture f, string licenseKey, string signal, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/beacon/v1/{signal}") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Langchain-License-Key", licenseKey);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await f.Http.SendAsync(request)).StatusCode);
    }
}
