using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Beacon.Domain.Statements;
using Beacon.Tests.Usage;
using Beacon.Tests.Vendor;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Tests.Statements;

/// <summary>License quotas (SPEC §13): watched in the listing and the verify token, never enforced on reporting.</summary>
[Collection(CalendarCollection.Name)]
public sealed class QuotaTests(NoFleetWriterFixture f)
{
    private Task<(int Code, string Stdout, string Stderr)> CliAsync(params string[] args) => StatementDataset.CliAsync(f, args);

    private async Task<JsonElement> TokenQuotasAsync(string licenseKey)
    {
        var response = await f.PostAsync("/v1/beacon/verify", new { license = licenseKey });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        return JsonDocument.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.Split('.')[1]))).RootElement.GetProperty("quotas").Clone();
    }

    private static void AssertSameQuotas(JsonElement listed, JsonElement token)
    {
        Assert.Equal(listed.GetArrayLength(), token.GetArrayLength());
        foreach (var (l, t) in listed.EnumerateArray().Zip(token.EnumerateArray()))
        {
            foreach (var field in new[] { "metric", "state" }) Assert.Equal(l.GetProperty(field).GetString(), t.GetProperty(field).GetString());
            foreach (var field in new[] { "limit", "used", "projected" }) Assert.Equal(l.GetProperty(field).GetInt64(), t.GetProperty(field).GetInt64());
            Assert.Equal(l.GetProperty("percent").GetDecimal(), t.GetProperty("percent").GetDecimal());
        }
    }

    [Fact]
    public async Task Quota_states_turn_at_80_and_100_percent_the_token_carries_them_and_usage_past_a_quota_is_still_recorded()
    {
        var now = f.Clock.GetUtcNow();
        var month = Month.Of(now);
        var monthStart = new DateTimeOffset(month.FirstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        f.Clock.Freeze(now);
        try
        {
            var org = await f.NewOrgAsync();
            var key = await Operators.NewKeyAsync(f, "ops-quota");
            Assert.Equal(2, (await CliAsync("admin", "license", "create", "--org", org.OrgId, "--plan", "growth", "--quota", "runs=5")).Code);
            var (code, stdout, stderr) = await CliAsync("admin", "license", "create", "--org", org.OrgId, "--plan", "growth",
                "--quota", "agent_runs=1000", "--quota", "traces=200", "--json");
            Assert.True(code == 0, stderr);
            var created = JsonDocument.Parse(stdout).RootElement;
            var (licenseKey, licenseId) = (created.GetProperty("license_key").GetString()!, created.GetProperty("license_id").GetString()!);

            long total = 0;
            int window = 0;
            foreach (var (runs, state, percent) in new[] { (790L, "ok", 79.0m), (10L, "warning", 80.0m), (210L, "exceeded", 101.0m) })
            {
                var from = monthStart.AddSeconds(++window);
                var response = await f.PostJsonAsync("/v1/beacon/metadata/submit", Payloads.CurrentClientWindow(from, from, runs, runs * 2, licenseKey: licenseKey));
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode); // never blocked, even past the quota
                total += runs;

                var listed = (await Operators.LicenseAsync(f, key, org.OrgId, licenseId)).GetProperty("quotas");
                var runsQuota = listed.EnumerateArray().Single(q => q.GetProperty("metric").GetString() == "agent_runs");
                Assert.Equal(1000, runsQuota.GetProperty("limit").GetInt64());
                Assert.Equal(total, runsQuota.GetProperty("used").GetInt64());
                Assert.Equal(percent, runsQuota.GetProperty("percent").GetDecimal());
                Assert.Equal(state, runsQuota.GetProperty("state").GetString());
                var elapsed = new BigInteger((now - monthStart).Ticks / 10);
                var length = new BigInteger((month.EndMicros - month.StartMicros));
                Assert.Equal((long)((total * length * 2 + elapsed) / (2 * elapsed)), runsQuota.GetProperty("projected").GetInt64());
                var traces = listed.EnumerateArray().Single(q => q.GetProperty("metric").GetString() == "traces");
                Assert.Equal(("ok", 0L), (traces.GetProperty("state").GetString(), traces.GetProperty("used").GetInt64()));

                AssertSameQuotas(listed, await TokenQuotasAsync(licenseKey));
            }

            // Everything past the quota is billed: the usage API shows all of it for the license.
            var (_, rows) = await UsageClient.QueryAsync(f.Http, org.ApiKey, UsageClient.QueryString("langsmith_deployments", "license", null,
                UsageModel.Iso(monthStart), UsageModel.Iso(monthStart.AddDays(1)), [org.DefaultWorkspace]), "license");
            Assert.Equal(total, rows.Where(r => r.Id == licenseId).Sum(r => r.Runs));

            // A license without quotas lists none, and its token says so.
            Assert.Equal(0, (await Operators.LicenseAsync(f, key, org.OrgId, org.LicenseId)).GetProperty("quotas").GetArrayLength());
            Assert.Equal(0, (await TokenQuotasAsync(org.LicenseKey)).GetArrayLength());
        }
        finally
        {
            f.Clock.Reset();
        }
    }
}
