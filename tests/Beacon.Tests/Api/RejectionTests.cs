using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Api;

/// <summary>Every rejection of SPEC §4.4, §4.5 and §9: the right status, a problem body, and nothing stored.</summary>
[Collection(BeaconCollection.Name)]
public sealed class RejectionTests(NoFleetWriterFixture f)
{
    private static readonly DateTimeOffset Nine = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private async Task<JsonElement> AssertRejectedAsync(TestOrg org, HttpResponseMessage response, HttpStatusCode status, int storedBefore = 0)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("urn:beacon:problem:", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Equal(storedBefore, await f.StoredUsageCountAsync(org.OrgId));
        return problem;
    }

    private static string Mutate(string json, Action<Dictionary<string, JsonElement>> change)
    {
        var d = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
        change(d);
        return JsonSerializer.Serialize(d);
    }

    private static JsonElement J(object o) => JsonSerializer.SerializeToElement(o);

    private Task<HttpResponseMessage> Submit(string body) => f.PostJsonAsync("/v1/metadata/submit", body);

    [Fact]
    public async Task A_timestamp_without_an_offset_is_rejected()
    {
        var org = await f.NewOrgAsync();
        var body = Mutate(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 1, 1, org.WorkspaceA), d => d["from_timestamp"] = J("2026-03-10T09:00:00.123456"));
        var problem = await AssertRejectedAsync(org, await Submit(body), HttpStatusCode.BadRequest);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "from_timestamp");
    }

    [Fact]
    public async Task A_window_that_ends_before_it_starts_is_unprocessable()
    {
        var org = await f.NewOrgAsync();
        await AssertRejectedAsync(org, await Submit(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddSeconds(-1), 1, 1, org.WorkspaceA)), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_window_longer_than_400_days_is_unprocessable_and_400_days_is_accepted()
    {
        var org = await f.NewOrgAsync();
        var start = f.Clock.GetUtcNow().AddDays(-401);
        await AssertRejectedAsync(org, await Submit(Payloads.Window(org.LicenseKey, null, start, start.AddDays(400).AddTicks(10), 1, 1, org.WorkspaceA)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(HttpStatusCode.NoContent, (await Submit(Payloads.Window(org.LicenseKey, null, start, start.AddDays(400), 400, 800, org.WorkspaceA))).StatusCode);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -5)]
    public async Task Negative_counts_are_rejected(long runs, long nodes)
    {
        var org = await f.NewOrgAsync();
        await AssertRejectedAsync(org, await Submit(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), runs, nodes, org.WorkspaceA)), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("\"10\"")]
    [InlineData("1e3")]
    [InlineData("true")]
    public async Task Non_integer_counts_are_rejected(string value)
    {
        var org = await f.NewOrgAsync();
        var body = Mutate(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 1, 1, org.WorkspaceA),
            d => d["measures"] = JsonDocument.Parse($"{{\"langgraph.platform.runs\": {value}}}").RootElement.Clone());
        await AssertRejectedAsync(org, await Submit(body), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task All_field_errors_are_reported_at_once()
    {
        var org = await f.NewOrgAsync();
        var body = Mutate(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), -1, -1, "not-a-uuid"), d => d.Remove("to_timestamp"));
        var problem = await AssertRejectedAsync(org, await Submit(body), HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Contains("to_timestamp", fields);
        Assert.Contains("measures.langgraph.platform.runs", fields);
        Assert.Contains("measures.langgraph.platform.nodes", fields);
        Assert.Contains("tags.langgraph.platform.tenant_id", fields);
    }

    [Theory]
    [InlineData("{\"license\": ")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task Malformed_json_is_rejected(string body)
    {
        var org = await f.NewOrgAsync();
        await AssertRejectedAsync(org, await Submit(body), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_rejected_before_parsing_whether_its_length_is_declared_or_streamed()
    {
        var org = await f.NewOrgAsync();
        var huge = Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 1, 1, org.WorkspaceA, logs: new[] { new string('x', 1024 * 1024) });
        // Expect: 100-continue, as a careful client sends a large body: the server's early 413 then arrives
        // before any of the body is sent, instead of racing the upload (a broken pipe on the client).
        using var declared = new HttpRequestMessage(HttpMethod.Post, "/v1/metadata/submit") { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        declared.Headers.ExpectContinue = true;
        await AssertRejectedAsync(org, await f.Http.SendAsync(declared), HttpStatusCode.RequestEntityTooLarge);

        using var streamed = new HttpRequestMessage(HttpMethod.Post, "/v1/metadata/submit")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge))),
        };
        streamed.Headers.TransferEncodingChunked = true;
        streamed.Headers.ExpectContinue = true;
        await AssertRejectedAsync(org, await f.Http.SendAsync(streamed), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Too_many_tags_oversized_tag_values_and_too_many_logs_are_rejected()
    {
        var org = await f.NewOrgAsync();
        var tags = Enumerable.Range(0, 201).ToDictionary(i => $"t{i}", _ => "v");
        await AssertRejectedAsync(org, await Submit(Mutate(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 1, 1), d => d["tags"] = J(tags))), HttpStatusCode.BadRequest);
        await AssertRejectedAsync(org, await Submit(Mutate(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 1, 1), d => d["tags"] = J(new Dictionary<string, string> { ["big"] = new('é', 600) }))), HttpStatusCode.BadRequest);
        await AssertRejectedAsync(org, await Submit(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 1, 1, logs: Enumerable.Range(0, 1001).Select(i => new { i }).ToArray())), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task No_credential_an_unknown_license_or_an_unknown_api_key_is_unauthenticated()
    {
        var org = await f.NewOrgAsync();
        await AssertRejectedAsync(org, await Submit(Payloads.Window(null, null, Nine, Nine.AddMinutes(5), 1, 1, org.WorkspaceA)), HttpStatusCode.Unauthorized);
        await AssertRejectedAsync(org, await Submit(Payloads.Window("lcl_" + new string('a', 40), null, Nine, Nine.AddMinutes(5), 1, 1, org.WorkspaceA)), HttpStatusCode.Unauthorized);
        await AssertRejectedAsync(org, await Submit(Payloads.Window(null, "bcn_ak_nope", Nine, Nine.AddMinutes(5), 1, 1, org.WorkspaceA)), HttpStatusCode.Unauthorized);
        // The other org's license key with a single character changed.
        await AssertRejectedAsync(org, await Submit(Payloads.Window(org.LicenseKey[..^1] + (org.LicenseKey[^1] == 'a' ? 'b' : 'a'), null, Nine, Nine.AddMinutes(5), 1, 1, org.WorkspaceA)), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(LicenseStatus.Suspended, "suspended")]
    [InlineData(LicenseStatus.Revoked, "revoked")]
    public async Task A_suspended_or_revoked_license_is_refused_with_the_reason(LicenseStatus status, string reason)
    {
        var org = await f.NewOrgAsync();
        await f.Services.GetRequiredService<CredentialStore>().SetLicenseStatusAsync(org.OrgId, org.LicenseId, status);
        using var afterTheCache = f.Clock.ShiftFor(TimeSpan.FromSeconds(2)); // past the credential cache TTL of the test app (by its clock)

        var problem = await AssertRejectedAsync(org, await Submit(Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 1, 1, org.WorkspaceA)), HttpStatusCode.Forbidden);
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_license_is_refused()
    {
        var org = await f.NewOrgAsync();
        var (key, _) = await f.Services.GetRequiredService<CredentialStore>().CreateLicenseAsync(org.OrgId, "developer", DateTimeOffset.UtcNow.AddDays(-1), []);
        var problem = await AssertRejectedAsync(org, await Submit(Payloads.Window(key, null, Nine, Nine.AddMinutes(5), 1, 1, org.WorkspaceA)), HttpStatusCode.Forbidden);
        Assert.Contains("expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_api_key_stops_working_within_the_cache_lifetime()
    {
        var org = await f.NewOrgAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await Submit(Payloads.Window(null, org.ApiKey, Nine, Nine.AddMinutes(5), 1, 1, org.WorkspaceA))).StatusCode);
        await f.Services.GetRequiredService<CredentialStore>().RevokeApiKeyAsync(org.OrgId, org.ApiKeyRecord.KeyId);
        var before = await f.StoredUsageCountAsync(org.OrgId);
        using var afterTheCache = f.Clock.ShiftFor(TimeSpan.FromSeconds(2));

        await AssertRejectedAsync(org, await Submit(Payloads.Window(null, org.ApiKey, Nine.AddHours(1), Nine.AddHours(1).AddMinutes(5), 1, 1, org.WorkspaceA)), HttpStatusCode.Unauthorized, before);
    }

    [Fact]
    public async Task An_api_key_limited_to_one_workspace_cannot_report_into_another()
    {
        var org = await f.NewOrgAsync();
        var (key, _) = await f.Services.GetRequiredService<CredentialStore>().CreateApiKeyAsync(org.OrgId, null, [], [org.WorkspaceA]);
        await AssertRejectedAsync(org, await Submit(Payloads.Window(null, key, Nine, Nine.AddMinutes(5), 1, 1, org.WorkspaceB)), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_invalid_transaction_rejects_the_whole_batch_with_a_per_item_error_list()
    {
        var org = await f.NewOrgAsync();
        var good = Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "p", 1, Nine);
        var bad = (Dictionary<string, object?>)Payloads.Transaction(Guid.NewGuid().ToString(), "nope", "p", -3, Nine);
        bad["start_interval_time"] = "2026-03-10 09:00";
        var response = await f.PostJsonAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, [good, bad]));

        var problem = await AssertRejectedAsync(org, response, HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Equal(["trace_transactions[1].tenant_id", "trace_transactions[1].trace_count", "trace_transactions[1].start_interval_time"], fields);
    }

    [Fact]
    public async Task More_than_1000_transactions_or_a_workspace_outside_the_keys_scope_reject_the_batch()
    {
        var org = await f.NewOrgAsync();
        var many = Enumerable.Range(0, 1001).Select(i => Payloads.Transaction($"t{i}", org.WorkspaceA, "p", 1, Nine));
        await AssertRejectedAsync(org, await f.PostJsonAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, many)), HttpStatusCode.BadRequest);
        var (key, _) = await f.Services.GetRequiredService<CredentialStore>().CreateApiKeyAsync(org.OrgId, null, [], [org.WorkspaceA]);
        var mixed = new[] { Payloads.Transaction("a", org.WorkspaceA, "p", 1, Nine), Payloads.Transaction("b", org.WorkspaceB, "p", 1, Nine) };
        await AssertRejectedAsync(org, await f.PostJsonAsync("/v1/beacon/ingest-traces", JsonSerializer.Serialize(new { api_key = key, trace_transactions = mixed })), HttpStatusCode.Forbidden);
    }
}
