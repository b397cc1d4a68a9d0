using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Api;

[Collection(BeaconCollection.Name)]
public sealed class AuthTests(NoFleetWriterFixture f)
{
    private async Task<HttpResponseMessage> AuthAsync(string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth");
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return await f.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_valid_key_gets_its_organizations_config()
    {
        var org = await f.NewOrgAsync("Acme Robotics");
        var response = await AuthAsync(org.ApiKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var config = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("org_config");
        Assert.Equal(org.OrgId, config.GetProperty("org_id").GetString());
        Assert.Equal("Acme Robotics", config.GetProperty("org_name").GetString());
        Assert.Equal("enterprise", config.GetProperty("plan").GetString());
        Assert.Equal(org.ApiKeyRecord.ShortKey, config.GetProperty("api_key_short_key").GetString());
        Assert.DoesNotContain(org.ApiKey, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Using_a_key_records_when_it_was_last_used()
    {
        var org = await f.NewOrgAsync();
        var credentials = f.Services.GetRequiredService<Storage.Stores.CredentialStore>();
        Assert.Null((await credentials.ListApiKeysAsync(org.OrgId)).Single().LastUsedAt);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        Assert.Equal(HttpStatusCode.OK, (await AuthAsync(org.ApiKey)).StatusCode);

        DateTimeOffset? lastUsed = null;
        for (int i = 0; i < 50 && lastUsed is null; i++)
        {
            await Task.Delay(100); // written in the background, off the request's path
            lastUsed = (await credentials.ListApiKeysAsync(org.OrgId)).Single().LastUsedAt;
        }
        Assert.NotNull(lastUsed);
        Assert.True(lastUsed >= before);
    }

    [Fact]
    public async Task A_missing_unknown_or_revoked_key_is_401()
    {
        var org = await f.NewOrgAsync();
        await f.Services.GetRequiredService<Storage.Stores.CredentialStore>().RevokeApiKeyAsync(org.OrgId, org.ApiKeyRecord.KeyId);
        using var afterTheCache = f.Clock.ShiftFor(TimeSpan.FromSeconds(2)); // past the credential cache (by the app's clock)

        Assert.Equal(HttpStatusCode.Unauthorized, (await AuthAsync(null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AuthAsync("bcn_ak_" + new string('z', 40))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AuthAsync(org.ApiKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AuthAsync(org.LicenseKey)).StatusCode);
    }
}
