using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Beacon.Domain.Fleet;
using Beacon.Storage.Stores;
using Beacon.Tests.Usage;
using Beacon.Tests.Vendor;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Api;

/// <summary>
/// Input that answered 500 or was stored when it should not be (SPEC §15): text that is not text, digits
/// that are not ASCII, snapshots from 1900 or 8999, and valid tags too large for a fleet record. Each is
/// now a 400/422 problem that names the field with nothing stored, or (the tags) stored within bounds.
/// </summary>
[Collection(EdgeCollection.Name)]
public sealed class MalformedInputTests(BeaconFixture f)
{
    private const string ArabicNine = "2026-11-25T\u0660\u0669:00:00Z";

    /// <summary>UTF-8 of <paramref name="json"/> with the bytes of the marker "BAD" turned into an invalid sequence.</summary>
    private static byte[] WithInvalidUtf8(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        int at = json.IndexOf("BAD", StringComparison.Ordinal);
        (bytes[at], bytes[at + 1], bytes[at + 2]) = (0xFF, 0xC3, 0x28);
        return bytes;
    }

    private async Task<HttpResponseMessage> PostBytesAsync(string path, byte[] body, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
        return await f.Http.SendAsync(request);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null) Assert.Contains(field, text, StringComparison.Ordinal);
    }

    private async Task AssertNoUsageAsync(TestOrg org, string kind = "langsmith_deployments")
    {
        var query = UsageClient.QueryString(kind, "workspace", null, "2026-01-01", "2026-12-31", [org.WorkspaceA]);
        var (_, rows) = await UsageClient.QueryAsync(f.Http, org.ApiKey, query, "workspace");
        Assert.All(rows, r => Assert.Equal((0L, 0L, 0L), (r.Runs, r.Nodes, r.Traces)));
    }

    [Fact]
    public async Task Invalid_utf8_inside_a_json_string_is_400_on_every_json_route_including_unauthenticated_verify()
    {
        var org = await f.NewOrgAsync();
        var nine = f.Clock.GetUtcNow().AddHours(-2);
        var window = Payloads.Window(org.LicenseKey, null, nine, nine.AddMinutes(5), 3, 9, org.WorkspaceA, "BAD-project");

        await AssertProblemAsync(await PostBytesAsync("/v1/beacon/verify", WithInvalidUtf8("""{"license":"lcl_BAD"}""")), HttpStatusCode.BadRequest, "UTF-8");
        await AssertProblemAsync(await PostBytesAsync("/v1/metadata/submit", WithInvalidUtf8(window)), HttpStatusCode.BadRequest, "UTF-8");
        await AssertNoUsageAsync(org);
    }

    [Fact]
    public async Task Timestamps_with_non_ascii_digits_are_400_naming_the_field_on_submit_traces_snapshots_extend_and_the_usage_query()
    {
        var org = await f.NewOrgAsync();
        var nine = f.Clock.GetUtcNow().AddHours(-2);
        var window = JsonSerializer.Deserialize<Dictionary<string, object?>>(Payloads.Window(org.LicenseKey, null, nine, nine.AddMinutes(5), 3, 9, org.WorkspaceA, "p"))!;
        window["from_timestamp"] = ArabicNine;
        await AssertProblemAsync(await f.PostJsonAsync("/v1/metadata/submit", JsonSerializer.Serialize(window)), HttpStatusCode.BadRequest, "from_timestamp");

        var transaction = (Dictionary<string, object?>)Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "p", 4, nine);
        transaction["start_insertion_time"] = ArabicNine;
        var traces = await f.PostJsonAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, [transaction]));
        Assert.True(traces.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, $"{traces.StatusCode}");
        Assert.Equal("application/problem+json", traces.Content.Headers.ContentType?.MediaType);

        var snapshot = JsonSerializer.Serialize(new { license_key = org.LicenseKey, from_timestamp = ArabicNine, to_timestamp = "2026-11-26T09:00:00Z", measures = new { users = 3 } });
        await AssertProblemAsync(await f.PostJsonAsync("/v1/beacon/usage-snapshot", snapshot), HttpStatusCode.BadRequest, "from_timestamp");

        var key = await Operators.NewKeyAsync(f, "ops-malformed");
        await AssertProblemAsync(await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/licenses/{org.LicenseId}/extend", key, new { expires_at = ArabicNine }),
            HttpStatusCode.BadRequest, "expires_at");

        var query = UsageClient.QueryString("langsmith_deployments", "workspace", null, ArabicNine, "2026-11-26T00:00:00Z", [org.WorkspaceA]);
        await AssertProblemAsync(await UsageClient.GetAsync(f.Http, "/api/v1/orgs/current/billing/granular-usage?" + query, org.ApiKey), HttpStatusCode.BadRequest, "start_time");
        await AssertNoUsageAsync(org);
        await AssertNoUsageAsync(org, "traces");
        Assert.Empty(await f.Services.GetRequiredService<SnapshotStore>().ListAsync(org.LicenseId));
    }

    [Theory]
    [InlineData("1900-01-01T00:00:00Z", "1900-01-02T00:00:00Z")]
    [InlineData("8999-01-01T00:00:00Z", "8999-01-02T00:00:00Z")]
    [InlineData("2019-12-31T00:00:00Z", "2020-01-01T00:00:00Z")]
    public async Task Snapshots_dated_before_2020_or_more_than_a_day_ahead_are_422_and_do_not_push_real_ones_out_of_the_list(string from, string to)
    {
        var org = await f.NewOrgAsync();
        var store = f.Services.GetRequiredService<SnapshotStore>();
        var real = JsonSerializer.Serialize(new { license_key = org.LicenseKey, from_timestamp = "2026-11-25T00:00:00Z", to_timestamp = "2026-11-26T00:00:00Z", measures = new { users = 3 } });
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/beacon/usage-snapshot", real)).StatusCode);

        var odd = JsonSerializer.Serialize(new { license_key = org.LicenseKey, from_timestamp = from, to_timestamp = to, measures = new { users = 3 } });
        await AssertProblemAsync(await f.PostJsonAsync("/v1/beacon/usage-snapshot", odd), HttpStatusCode.UnprocessableEntity, "_timestamp");

        Assert.Equal([new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero)], (await store.ListAsync(org.LicenseId)).Select(s => s.From));
    }

    [Fact]
    public async Task A_snapshot_with_100_long_non_ascii_measure_names_is_400_and_nothing_is_stored()
    {
        var org = await f.NewOrgAsync();
        var measures = Enumerable.Range(0, 100).ToDictionary(i => $"{i:D3}" + new string('名', 250), i => (long)i);
        var body = JsonSerializer.Serialize(new { license_key = org.LicenseKey, from_timestamp = "2026-11-25T00:00:00Z", to_timestamp = "2026-11-26T00:00:00Z", measures });

        await AssertProblemAsync(await f.PostJsonAsync("/v1/beacon/usage-snapshot", body), HttpStatusCode.BadRequest, "at most 4096 characters");

        Assert.Empty(await f.Services.GetRequiredService<SnapshotStore>().ListAsync(org.LicenseId));
        var fits = measures.Take(16).ToDictionary(); // 16 × 253 characters: inside the bound, stored whole
        var ok = JsonSerializer.Serialize(new { license_key = org.LicenseKey, from_timestamp = "2026-11-25T00:00:00Z", to_timestamp = "2026-11-26T00:00:00Z", measures = fits });
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/beacon/usage-snapshot", ok)).StatusCode);
        Assert.Equal(fits, Assert.Single(await f.Services.GetRequiredService<SnapshotStore>().ListAsync(org.LicenseId)).Measures);
    }

    [Fact]
    public async Task A_window_with_64_long_non_ascii_feature_tags_is_billed_and_gets_its_fleet_record_with_the_cut_counted()
    {
        var org = await f.NewOrgAsync();
        var key = await Operators.NewKeyAsync(f, "ops-features");
        var nine = f.Clock.GetUtcNow().AddMinutes(-10);
        var window = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Payloads.Window(org.LicenseKey, null, nine, nine.AddMinutes(5), 3, 9, org.WorkspaceA, "p-features"))!;
        var tags = JsonSerializer.Deserialize<Dictionary<string, string>>(window["tags"].GetRawText())!;
        for (int i = 0; i < 64; i++) tags[$"user_app.{i:D2}" + new string('機', 245)] = new string('能', 256); // names and values of 256 characters: the submit limits
        window["tags"] = JsonSerializer.SerializeToElement(tags);

        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/metadata/submit", JsonSerializer.Serialize(window))).StatusCode);

        var deployment = Assert.Single(await Operators.EventuallyAsync(() => Operators.DeploymentsAsync(f, key, org.OrgId), l => l.Count == 1));
        var features = deployment.GetProperty("features").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.True(int.Parse(features[DeploymentActivity.FeaturesCut], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(features.Where(p => p.Key != DeploymentActivity.FeaturesCut).Sum(p => p.Key.Length + p.Value.Length) <= DeploymentActivity.MaxEntryChars);
        Assert.Equal(65, features.Count(p => p.Key.StartsWith("user_app.", StringComparison.Ordinal)) + int.Parse(features[DeploymentActivity.FeaturesCut], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("reporting", (await Operators.LicenseAsync(f, key, org.OrgId, org.LicenseId)).GetProperty("reporting_state").GetString());
    }
}
