using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;
using Beacon.Testing;
using Beacon.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Tests.Api;

/// <summary>The verify → JWKS flow, checked with the standard JWT library a deployment would use.</summary>
[Collection(CalendarCollection.Name)]
public sealed class LicenseTokenTests(NoFleetWriterFixture f)
{
    private async Task<string> VerifyAsync(string licenseKey, string field = "license")
    {
        var response = await f.PostAsync("/v1/beacon/verify", new Dictionary<string, string> { [field] = licenseKey });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private async Task<TokenValidationResult> ValidateAsync(string token, string audience = "langgraph-platform")
    {
        var jwks = new JsonWebKeySet(await f.Http.GetStringAsync("/.well-known/jwks.json"));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "beacon",
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = TimeSpan.Zero,
        });
    }

    [Fact]
    public async Task A_token_from_verify_validates_against_the_jwks_and_carries_the_license_claims()
    {
        var org = await f.NewOrgAsync();
        var token = await VerifyAsync(org.LicenseKey);

        var result = await ValidateAsync(token);

        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = new JsonWebToken(token);
        Assert.Equal("ES256", jwt.Alg);
        Assert.False(string.IsNullOrEmpty(jwt.Kid));
        Assert.Equal(org.LicenseId, jwt.Subject);
        Assert.Equal(org.OrgId, jwt.GetClaim("org_id").Value);
        Assert.Equal("enterprise", jwt.GetClaim("plan").Value);
        Assert.Equal(["agent_deployments", "traces"], jwt.Claims.Where(c => c.Type == "entitlements").Select(c => c.Value));
        Assert.False(string.IsNullOrEmpty(jwt.Id));
        Assert.Equal(TimeSpan.FromHours(1), jwt.ValidTo - jwt.IssuedAt);
        Assert.Equal(jwt.IssuedAt, jwt.ValidFrom);
    }

    [Fact]
    public async Task License_key_is_also_accepted_as_license_key()
    {
        var org = await f.NewOrgAsync();
        Assert.True((await ValidateAsync(await VerifyAsync(org.LicenseKey, "license_key"))).IsValid);
    }

    [Fact]
    public async Task An_expired_token_does_not_validate()
    {
        var org = await f.NewOrgAsync();
        f.Clock.Shift(TimeSpan.FromHours(-2));
        string token;
        try
        {
            token = await VerifyAsync(org.LicenseKey);
        }
        finally
        {
            f.Clock.Reset();
        }
        var result = await ValidateAsync(token);
        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(result.Exception);
    }

    [Fact]
    public async Task A_wrong_audience_does_not_validate()
    {
        var org = await f.NewOrgAsync();
        Assert.False((await ValidateAsync(await VerifyAsync(org.LicenseKey), audience: "someone-else")).IsValid);
    }

    [Fact]
    public async Task An_unsigned_alg_none_token_does_not_validate()
    {
        var org = await f.NewOrgAsync();
        var genuine = new JsonWebToken(await VerifyAsync(org.LicenseKey));
        static string B64(string s) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(s));
        var forged = $"{B64($"{{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"{genuine.Kid}\"}}")}.{genuine.EncodedPayload}.";
        Assert.False((await ValidateAsync(forged)).IsValid);
    }

    [Fact]
    public async Task A_token_signed_by_an_unknown_key_does_not_validate()
    {
        var org = await f.NewOrgAsync();
        var genuine = new JsonWebToken(await VerifyAsync(org.LicenseKey));
        using var rogue = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = new JsonWebTokenHandler().CreateToken(genuine.EncodedPayload is { } p ? Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(p)) : "",
            new SigningCredentials(new ECDsaSecurityKey(rogue) { KeyId = "unknown-kid" }, SecurityAlgorithms.EcdsaSha256));
        Assert.False((await ValidateAsync(forged)).IsValid);
    }

    [Fact]
    public async Task A_rotated_key_is_published_at_once_signs_only_after_the_publish_lead_and_old_tokens_still_validate()
    {
        var org = await f.NewOrgAsync();
        var before = await VerifyAsync(org.LicenseKey);
        var kid = await f.Services.GetRequiredService<SigningKeyRing>().RotateAsync(CancellationToken.None);
        var right = await VerifyAsync(org.LicenseKey);

        var jwks = JsonDocument.Parse(await f.Http.GetStringAsync("/.well-known/jwks.json")).RootElement.GetProperty("keys");
        Assert.Contains(jwks.EnumerateArray(), k => k.GetProperty("kid").GetString() == kid);
        Assert.Contains(jwks.EnumerateArray(), k => k.GetProperty("kid").GetString() == new JsonWebToken(before).Kid);
        Assert.All(jwks.EnumerateArray(), k => Assert.False(k.TryGetProperty("d", out _), "private key material must never be published"));
        // Verifiers may hold the previous key set for a while: the new key does not sign yet.
        Assert.Equal(new JsonWebToken(before).Kid, new JsonWebToken(right).Kid);

        f.Clock.Shift(SigningKeyRing.PublishLead);
        try
        {
            var after = await VerifyAsync(org.LicenseKey);
            Assert.Equal(kid, new JsonWebToken(after).Kid);
        }
        finally
        {
            f.Clock.Shift(-SigningKeyRing.PublishLead);
        }
        Assert.True((await ValidateAsync(before)).IsValid);
    }

    [Fact]
    public async Task A_rotation_whose_answer_is_lost_is_made_once_and_keeps_the_key_that_signs_live_tokens()
    {
        var store = f.Services.GetRequiredService<SigningKeyStore>();
        var ring = f.Services.GetRequiredService<SigningKeyRing>();
        await ring.GetSigningKeyAsync(CancellationToken.None); // keys exist
        var previous = (await store.LoadAsync())!.Value.Keys[0].Kid;
        int puts = 0;
        f.Faults.Set(r => r.Method == Azure.Core.RequestMethod.Put && r.Uri.Path.EndsWith("/signing-keys.json", StringComparison.Ordinal) && Interlocked.Increment(ref puts) == 1
            ? FaultInjectingTransport.Fault.CommitUnknown : FaultInjectingTransport.Fault.None);
        string kid;
        try
        {
            kid = await ring.RotateAsync(CancellationToken.None);
        }
        finally
        {
            f.Faults.Set(null);
        }
        var stored = (await store.LoadAsync())!.Value.Keys;
        Assert.Equal(kid, stored[0].Kid);
        Assert.Equal(previous, stored[1].Kid);
        Assert.Single(stored, k => k.Kid == kid);
    }

    [Fact]
    public async Task Verify_answers_401_for_unknown_keys_and_403_with_the_reason_for_unusable_licenses()
    {
        var org = await f.NewOrgAsync();
        var credentials = f.Services.GetRequiredService<CredentialStore>();
        var (expired, _) = await credentials.CreateLicenseAsync(org.OrgId, "developer", DateTimeOffset.UtcNow.AddMinutes(-1), []);
        var (suspended, s) = await credentials.CreateLicenseAsync(org.OrgId, "developer", null, []);
        await credentials.SetLicenseStatusAsync(org.OrgId, s.LicenseId, LicenseStatus.Suspended);

        async Task<(HttpStatusCode, string)> Verify(object body)
        {
            var r = await f.PostAsync("/v1/beacon/verify", body);
            return (r.StatusCode, await r.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await Verify(new { license = "lcl_unknown0000000000000000000000000000000" })).Item1);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Verify(new { license = "" })).Item1);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Verify(new { nothing = 1 })).Item1);
        var (expiredStatus, expiredBody) = await Verify(new { license = expired });
        var (suspendedStatus, suspendedBody) = await Verify(new { license = suspended });
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (expiredStatus, suspendedStatus));
        Assert.Contains("expired", expiredBody, StringComparison.Ordinal);
        Assert.Contains("suspended", suspendedBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_never_outlives_its_license()
    {
        var org = await f.NewOrgAsync();
        var expires = DateTimeOffset.UtcNow.AddMinutes(10);
        var (key, _) = await f.Services.GetRequiredService<CredentialStore>().CreateLicenseAsync(org.OrgId, "developer", expires, []);
        var jwt = new JsonWebToken(await VerifyAsync(key));
        Assert.True(jwt.ValidTo <= expires.UtcDateTime.AddSeconds(1));
    }
}
