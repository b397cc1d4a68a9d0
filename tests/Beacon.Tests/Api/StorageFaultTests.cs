using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Api;

/// <summary>Throttling, timeouts and an unreachable account: 503 + Retry-After, and never a success for unwritten data.</summary>
[Collection(BeaconCollection.Name)]
public sealed class StorageFaultTests(NoFleetWriterFixture f) : IDisposable
{
    private static readonly DateTimeOffset Nine = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    public void Dispose() => f.Faults.Set(null);

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("urn:beacon:problem:storage-unavailable", problem.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData(FaultInjectingTransport.Fault.ServerBusy)]
    [InlineData(FaultInjectingTransport.Fault.Timeout)]
    public async Task A_window_write_that_keeps_failing_is_503_and_nothing_is_stored(FaultInjectingTransport.Fault fault)
    {
        var org = await f.NewOrgAsync();
        // Warm the credential cache so the fault hits the write itself.
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine.AddDays(1), Nine.AddDays(1).AddMinutes(1), 1, 1, org.WorkspaceA));
        var before = (await f.RawAsync(f.Tables.UsageWindows, org.OrgId)).Count;
        f.Faults.Set(r => r.Uri.ToString().Contains("/UsageWindows", StringComparison.Ordinal) && r.Method.Method is "POST" or "PUT"
            ? fault : FaultInjectingTransport.Fault.None);

        await AssertUnavailableAsync(await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 1, 1, org.WorkspaceA)));

        f.Faults.Set(null);
        Assert.Equal(before, (await f.RawAsync(f.Tables.UsageWindows, org.OrgId)).Count);
    }

    [Fact]
    public async Task Transient_throttling_is_retried_and_the_request_succeeds()
    {
        var org = await f.NewOrgAsync();
        int failures = 0;
        f.Faults.Set(r => r.Uri.ToString().Contains("/UsageWindows", StringComparison.Ordinal) && Interlocked.Increment(ref failures) <= 1
            ? FaultInjectingTransport.Fault.ServerBusy : FaultInjectingTransport.Fault.None);

        var response = await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, Nine, Nine.AddMinutes(5), 4, 4, org.WorkspaceA));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(4, Assert.Single(await f.RawAsync(f.Tables.UsageWindows, org.OrgId)).GetInt64("runs"));
    }

    [Fact]
    public async Task A_trace_batch_whose_day_records_cannot_be_written_is_503_and_a_retry_counts_it_once()
    {
        var org = await f.NewOrgAsync();
        var body = Payloads.Traces(org.LicenseKey, Enumerable.Range(0, 5).Select(i => Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "p", 2, Nine)));
        f.Faults.Set(r => r.Uri.ToString().Contains("$batch", StringComparison.Ordinal) && FaultInjectingTransport.BodyOf(r).Contains("TraceTransactions", StringComparison.Ordinal)
            ? FaultInjectingTransport.Fault.ServerBusy : FaultInjectingTransport.Fault.None);

        await AssertUnavailableAsync(await f.PostJsonAsync("/v1/beacon/ingest-traces", body));
        f.Faults.Set(null);
        var retry = await f.PostJsonAsync("/v1/beacon/ingest-traces", body);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var stored = await f.RawAsync(f.Tables.TraceTransactions, org.OrgId);
        Assert.Equal(5, stored.Count);
        Assert.Equal(10, stored.Sum(e => e.GetInt64("trace_count")));
    }

    [Fact]
    public async Task An_unreachable_storage_account_is_503_for_every_endpoint_and_health()
    {
        // An app whose storage points at a closed port still starts (nothing waits for storage at start-up).
        var settings = f.Settings(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + Azurite.Azurite.DevelopmentKey
                + ";TableEndpoint=http://127.0.0.1:9/devstoreaccount1;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;",
        });
        await using var app = BeaconApp.Build([.. settings.Select(kv => $"--{kv.Key}={kv.Value}")], b =>
        {
            b.Services.AddSingleton(new Storage.Account.StoragePipelineOptions { MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(5) });
        });
        await app.StartAsync();
        var address = app.Urls.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        await AssertUnavailableAsync(await http.GetAsync("/health"));
        await AssertUnavailableAsync(await http.PostAsJsonAsync("/v1/beacon/verify", new { license = "lcl_" + new string('q', 40) }));
        await AssertUnavailableAsync(await http.PostAsync("/v1/metadata/submit", new StringContent(Payloads.Window("lcl_" + new string('q', 40), null, Nine, Nine.AddMinutes(5), 1, 1))));
    }
}
