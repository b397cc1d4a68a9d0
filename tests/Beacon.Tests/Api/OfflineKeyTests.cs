using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Domain.Credentials;
using Beacon.Domain.Quotas;
using Beacon.Storage.Stores;
using Beacon.Tests.Vendor;
using Beacon.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Api;

/// <summary>
/// Offline license keys (SPEC §17), checked the way an air-gapped install would: with a saved JWKS and a JOSE
/// library Beacon does not use (Node's <c>jose</c>, through the README's own script).
/// </summary>
[Collection(CalendarCollection.Name)]
public sealed class OfflineKeyTests(NoFleetWriterFixture f)
{
    private async Task<HttpResponseMessage> IssueAsync(string key, string licenseId, object body) => await IssueAsync(f.Http, key, licenseId, body);

    private static async Task<HttpResponseMessage> IssueAsync(HttpClient http, string key, string licenseId, object body) =>
        await Operators.SendAsync(http, HttpMethod.Post, $"/api/v1/operator/licenses/{licenseId}/offline-key", key, body);

    /// <summary>Runs docs/examples/verify-offline-key.mjs on a JWKS saved to a file: the claims, or null and jose's reason.</summary>
    private async Task<(JsonElement? Claims, string Error)> VerifyOfflineAsync(string jwks, string licenseKey)
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, jwks);
        try
        {
            return await NodeScript.RunAsync("docs/examples/verify-offline-key.mjs", file, licenseKey, f.Clock.GetUtcNow().ToString("O"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_offline_key_verifies_with_the_saved_jwks_alone_after_rotations_and_carries_the_license()
    {
        // Its own storage and app: the rotations below (with the clock moved past each publish lead and back)
        // would otherwise leave the shared app's ring with keys dated ahead of its clock.
        await using var own = await Azurite.Azurite.StartAsync(Testing.AzuriteFixture.RepositoryRoot);
        var (app, http) = await f.StartAppAsync(new Dictionary<string, string> { ["AzureWebJobsStorage"] = own.ConnectionString });
        await using var stopped = app;
        var services = app.Services;
        await services.GetRequiredService<Beacon.Hosting.StorageReadiness>().EnsureAsync(CancellationToken.None);
        var key = (await services.GetRequiredService<CredentialStore>().CreateOperatorKeyAsync("ops-offline")).OperatorKey;
        var orgName = "Air Gapped Co " + Guid.NewGuid().ToString("N")[..6];
        var org = await f.NewOrgAsync(orgName, services);
        var now = f.Clock.GetUtcNow();
        var (_, license) = await services.GetRequiredService<CredentialStore>().CreateLicenseAsync(org.OrgId, "enterprise", now.AddDays(800),
            ["lgp", "traces"], [new Quota("agent_runs", 500_000), new Quota("traces", 2_000_000)]);

        var response = await IssueAsync(http, key, license.LicenseId, new { expires_at = now.AddDays(400).ToString("O") });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["expires_at", "kid", "license_id", "license_key"], issued.EnumerateObject().Select(p => p.Name).Order());
        var offlineKey = issued.GetProperty("license_key").GetString()!;
        Assert.False(offlineKey.StartsWith("lcl_", StringComparison.Ordinal)); // the platform treats it as air-gapped
        var expiresAt = issued.GetProperty("expires_at").GetDateTimeOffset();
        Assert.Equal(now.AddDays(400).ToUnixTimeSeconds(), expiresAt.ToUnixTimeSeconds());

        // Four rotations, each new key signing after its publish lead: the offline key's signer leaves the three
        // the ring keeps for online tokens.
        var moved = TimeSpan.Zero;
        try
        {
            for (int i = 0; i < 4; i++)
            {
                await services.GetRequiredService<SigningKeyRing>().RotateAsync(default);
                f.Clock.Shift(SigningKeyRing.PublishLead);
                moved += SigningKeyRing.PublishLead;
            }
            await CheckAfterRotationsAsync(services, http, key, org, orgName, license, issued, offlineKey, expiresAt);
        }
        finally
        {
            f.Clock.Shift(-moved);
        }
    }

    private async Task CheckAfterRotationsAsync(IServiceProvider services, HttpClient http, string key, TestOrg org, string orgName, LicenseRecord license, JsonElement issued, string offlineKey, DateTimeOffset expiresAt)
    {
        var jwks = await http.GetStringAsync("/.well-known/jwks.json");
        var (claims, error) = await VerifyOfflineAsync(jwks, offlineKey);
        Assert.True(claims is not null, error);
        var c = claims!.Value;
        Assert.Equal(issued.GetProperty("kid").GetString(), c.GetProperty("kid").GetString());
        Assert.Equal((license.LicenseId, org.OrgId, orgName, "enterprise"),
            (c.GetProperty("sub").GetString(), c.GetProperty("org_id").GetString(), c.GetProperty("org_name").GetString(), c.GetProperty("plan").GetString()));
        Assert.Equal(["lgp", "traces"], c.GetProperty("entitlements").EnumerateArray().Select(e => e.GetString()));
        Assert.True(c.GetProperty("lgp_enabled").GetBoolean());
        Assert.True(c.GetProperty("traces_enabled").GetBoolean());
        Assert.True(c.GetProperty("offline").GetBoolean());
        Assert.Equal([("agent_runs", 500_000L), ("traces", 2_000_000L)],
            c.GetProperty("quotas").EnumerateArray().Select(q => (q.GetProperty("metric").GetString()!, q.GetProperty("limit").GetInt64())));
        Assert.Equal(expiresAt.ToUnixTimeSeconds(), c.GetProperty("exp").GetInt64());
        Assert.InRange(c.GetProperty("iat").GetInt64(), expiresAt.AddDays(-400).ToUnixTimeSeconds() - 1, expiresAt.AddDays(-400).ToUnixTimeSeconds() + 60);
        Assert.Equal(c.GetProperty("iat").GetInt64(), c.GetProperty("nbf").GetInt64());
        Assert.True(Guid.TryParse(c.GetProperty("jti").GetString(), out _));
        Assert.Equal("beacon", c.GetProperty("iss").GetString());

        // The key kept for it is published only: its private part is gone from the stored key set.
        var stored = (await services.GetRequiredService<SigningKeyStore>().LoadAsync())!.Value.Keys;
        var kept = stored.Single(k => k.Kid == issued.GetProperty("kid").GetString());
        Assert.Equal("", kept.D);
        Assert.Equal(expiresAt, kept.KeepUntil);

        // A tampered key, and a JWKS without the signing key, fail the same check.
        var parts = offlineKey.Split('.');
        var tampered = parts[0] + "." + parts[1][..^2] + (parts[1][^2..] == "AA" ? "AB" : "AA") + "." + parts[2];
        Assert.Null((await VerifyOfflineAsync(jwks, tampered)).Claims);
        var without = JsonSerializer.Serialize(new { keys = JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray().Where(k => k.GetProperty("kid").GetString() != kept.Kid) });
        Assert.Null((await VerifyOfflineAsync(without, offlineKey)).Claims);

        // Issuing it changed nothing for online verification; the audit names the key's id, never the key.
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/v1/beacon/verify", new { license = (await services.GetRequiredService<CredentialStore>().CreateLicenseAsync(org.OrgId, "x", null, [])).LicenseKey })).StatusCode);
        var audit = await Operators.GetJsonAsync(http, "/api/v1/operator/audit?limit=100", key);
        var record = audit.GetProperty("records").EnumerateArray().Single(r => r.GetProperty("action").GetString() == "license.offline_key" && r.GetProperty("target").GetString() == "license:" + license.LicenseId);
        Assert.Equal("ops-offline", record.GetProperty("actor").GetString());
        Assert.Equal(c.GetProperty("jti").GetString(), record.GetProperty("detail").GetProperty("jti").GetString());
        Assert.DoesNotContain(parts[2], audit.ToString());

        // Once the offline key has expired, the next rotation stops publishing the key kept for it.
        using var later = f.Clock.ShiftFor(TimeSpan.FromDays(401));
        await services.GetRequiredService<SigningKeyRing>().RotateAsync(default);
        Assert.DoesNotContain(kept.Kid, await http.GetStringAsync("/.well-known/jwks.json"));
    }

    [Fact]
    public async Task An_offline_key_never_outlives_its_license_and_is_refused_for_bad_input_or_an_unusable_license()
    {
        var key = await Operators.NewKeyAsync(f);
        var org = await f.NewOrgAsync();
        var credentials = f.Services.GetRequiredService<CredentialStore>();
        var now = f.Clock.GetUtcNow();
        var licenseEnds = now.AddDays(30);
        var (_, shortLicense) = await credentials.CreateLicenseAsync(org.OrgId, "starter", licenseEnds, []);

        // Past the license's own expiry: refused (SPEC §17), saying until when it may run.
        var tooLong = await IssueAsync(key, shortLicense.LicenseId, new { expires_at = now.AddDays(365).ToString("O") });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("license's own expiry", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var response = await IssueAsync(key, shortLicense.LicenseId, new { expires_at = licenseEnds.ToString("O") });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(licenseEnds.ToUnixTimeSeconds(), issued.GetProperty("expires_at").GetDateTimeOffset().ToUnixTimeSeconds());
        var (claims, error) = await VerifyOfflineAsync(await f.Http.GetStringAsync("/.well-known/jwks.json"), issued.GetProperty("license_key").GetString()!);
        Assert.True(claims is not null, error);
        Assert.Equal(licenseEnds.ToUnixTimeSeconds(), claims!.Value.GetProperty("exp").GetInt64());

        foreach (var (id, body, status) in new (string, object, HttpStatusCode)[]
        {
            (org.LicenseId, new { expires_at = now.AddDays(-1).ToString("O") }, HttpStatusCode.BadRequest),
            (org.LicenseId, new { expires_at = now.AddDays(3000).ToString("O") }, HttpStatusCode.BadRequest),
            (org.LicenseId, new { expires_at = "2027-02-30T00:00:00Z" }, HttpStatusCode.BadRequest),
            (org.LicenseId, new { }, HttpStatusCode.BadRequest),
            ("not-a-uuid", new { expires_at = now.AddDays(10).ToString("O") }, HttpStatusCode.BadRequest),
            (Guid.NewGuid().ToString(), new { expires_at = now.AddDays(10).ToString("O") }, HttpStatusCode.NotFound),
        })
        {
            var refused = await IssueAsync(key, id, body);
            Assert.Equal(status, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        // A suspended license gets none (an offline key cannot be suspended once handed out): 409, not retryable.
        Assert.Equal(HttpStatusCode.OK, (await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/licenses/{org.LicenseId}/suspend", key, new { })).StatusCode);
        var suspended = await IssueAsync(key, org.LicenseId, new { expires_at = now.AddDays(10).ToString("O") });
        Assert.Equal(HttpStatusCode.Conflict, suspended.StatusCode);
        Assert.Contains("suspended", await suspended.Content.ReadAsStringAsync());
        Assert.False(suspended.Headers.Contains("Retry-After"));

        // Refusals record nothing: the license's only offline-key record is none.
        Assert.DoesNotContain((await Operators.GetJsonAsync(f.Http, "/api/v1/operator/audit?limit=200", key)).GetProperty("records").EnumerateArray(),
            r => r.GetProperty("action").GetString() == "license.offline_key" && r.GetProperty("target").GetString() == "license:" + org.LicenseId);
    }
}
