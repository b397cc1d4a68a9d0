using System.Net;

namespace Beacon.Tests.Api;

[Collection(BeaconCollection.Name)]
public sealed class RateLimitTests(NoFleetWriterFixture f)
{
    [Fact]
    public async Task A_credential_over_its_token_bucket_gets_429_with_retry_after_and_others_are_unaffected()
    {
        var org = await f.NewOrgAsync();
        var other = await f.NewOrgAsync();
        var (app, http) = await f.StartAppAsync(new Dictionary<string, string> { ["Beacon:RateLimitBurst"] = "3", ["Beacon:RateLimitPerSecond"] = "1" });
        await using var stopped = app; // its background loops stop with the test
        var nine = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

        async Task<HttpResponseMessage> Submit(TestOrg o, int i) =>
            await http.PostAsync("/v1/metadata/submit", new StringContent(Payloads.Window(o.LicenseKey, null, nine.AddMinutes(i), nine.AddMinutes(i + 1), 1, 1, o.WorkspaceA)));

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (int i = 0; i < 5; i++)
        {
            var r = await Submit(org, i);
            statuses.Add(r.StatusCode);
            if (r.StatusCode == HttpStatusCode.TooManyRequests) limited ??= r;
        }

        Assert.Equal(HttpStatusCode.NoContent, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(limited!.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NoContent, (await Submit(other, 0)).StatusCode);
        // Rejected requests stored nothing: only the admitted windows exist.
        Assert.Equal(statuses.Count(s => s == HttpStatusCode.NoContent), (await f.RawAsync(f.Tables.UsageWindows, org.OrgId)).Count);
    }

    [Fact]
    public async Task An_otlp_exporter_over_its_licenses_bucket_gets_429_with_retry_after()
    {
        var org = await f.NewOrgAsync();
        var (app, http) = await f.StartAppAsync(new Dictionary<string, string> { ["Beacon:RateLimitBurst"] = "2", ["Beacon:RateLimitPerSecond"] = "1" });
        await using var stopped = app; // its background loops stop with the test
        var statuses = new List<HttpResponseMessage>();
        for (int i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/beacon/v1/metrics") { Content = new ByteArrayContent([]) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-protobuf");
            request.Headers.Add("X-Langchain-License-Key", org.LicenseKey);
            statuses.Add(await http.SendAsync(request));
        }
        Assert.Equal(HttpStatusCode.OK, statuses[0].StatusCode); // an empty export is a valid one
        var limited = statuses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
    }
}
