using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Cli;
using Beacon.Tests.Usage;
using Beacon.Tests.Vendor;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Cli;

/// <summary>
/// <c>beacon backup</c> and <c>beacon restore</c> (docs/operations.md): a demo account copied to a folder and
/// restored into an empty Azurite answers every API the same, and its tokens verify with the old JWKS.
/// </summary>
[Collection(DemoCollection.Name)]
[Trait("Tier", "Slow")] // seeds a demo
public sealed class BackupTests(BeaconFixture f)
{
    private static async Task<(int Code, JsonElement Json, string Stderr)> CliAsync(string storage, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync([.. args, "--json"], stdout, stderr, new Dictionary<string, string?> { ["AzureWebJobsStorage"] = storage });
        var text = stdout.ToString();
        return (code, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default, stderr.ToString());
    }

    /// <summary>What a customer and the vendor read: usage of both kinds, workspaces, this month's statement, the license, the JWKS.</summary>
    private static async Task<List<string>> AnswersAsync(HttpClient http, SeedDemo.Result demo, DateTimeOffset now)
    {
        var end = UsageModel.Iso(new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero));
        var start = UsageModel.Iso(new DateTimeOffset(now.UtcDateTime.Date.AddDays(-91), TimeSpan.Zero));
        var workspaces = await (await UsageClient.GetAsync(http, "/api/v1/orgs/current/workspaces", demo.ApiKey)).Content.ReadAsStringAsync();
        var ids = JsonDocument.Parse(workspaces).RootElement.GetProperty("workspaces").EnumerateArray().Select(w => w.GetProperty("workspace_id").GetString()!).ToList();
        var answers = new List<string> { workspaces };
        foreach (var (kind, group) in new[] { ("langsmith_deployments", "project"), ("traces", "user"), ("langsmith_deployments", "api_key") })
            answers.Add(await (await UsageClient.GetAsync(http, "/api/v1/orgs/current/billing/granular-usage?" + UsageClient.QueryString(kind, group, null, start, end, ids), demo.ApiKey)).Content.ReadAsStringAsync());
        var month = now.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var statement = (await Operators.GetJsonAsync(http, $"/api/v1/operator/statements?month={month}", demo.OperatorKey!)).GetProperty("lines").EnumerateArray()
            .Where(l => l.GetProperty("org_id").GetString() == demo.OrgId);
        answers.Add(string.Join("\n", statement.Select(l => l.ToString())));
        answers.Add(await http.GetStringAsync("/.well-known/jwks.json"));
        return answers;
    }

    [Fact]
    public async Task A_backup_restored_into_empty_storage_answers_every_api_the_same_and_its_keys_still_verify()
    {
        await using var source = await Azurite.Azurite.StartAsync(Testing.AzuriteFixture.RepositoryRoot);
        var (oldApp, oldHttp) = await f.StartAppAsync(new Dictionary<string, string> { ["AzureWebJobsStorage"] = source.ConnectionString });
        await using var stopOld = oldApp;
        await oldApp.Services.GetRequiredService<Beacon.Hosting.StorageReadiness>().EnsureAsync(CancellationToken.None);
        var demo = await new SeedDemo(oldApp.Services, f.Clock).RunAsync(oldHttp.BaseAddress!.ToString(), CancellationToken.None);
        var token = (await (await oldHttp.PostAsJsonAsync("/v1/beacon/verify", new { license = demo.LicenseKey })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var now = f.Clock.GetUtcNow();
        var before = await AnswersAsync(oldHttp, demo, now);

        var folder = Path.Combine(Path.GetTempPath(), "beacon-backup-" + Guid.NewGuid().ToString("N"));
        try
        {
            var backup = await CliAsync(source.ConnectionString, "backup", "--to", folder);
            Assert.True(backup.Code == 0, backup.Stderr);
            Assert.True(backup.Json.GetProperty("tables").GetProperty("UsageWindows").GetInt64() > 100);
            Assert.Equal(1, backup.Json.GetProperty("blobs").GetProperty("beacon-keys").GetInt64());
            // A second backup into the same folder is refused rather than mixed with the first.
            Assert.Equal(1, (await CliAsync(source.ConnectionString, "backup", "--to", folder)).Code);

            await using var target = await Azurite.Azurite.StartAsync(Testing.AzuriteFixture.RepositoryRoot);
            var restore = await CliAsync(target.ConnectionString, "restore", "--from", folder);
            Assert.True(restore.Code == 0, restore.Stderr);
            Assert.Equal(backup.Json.GetProperty("tables").ToString(), restore.Json.GetProperty("tables").ToString());
            Assert.Equal(backup.Json.GetProperty("blobs").ToString(), restore.Json.GetProperty("blobs").ToString());
            // Restoring again would merge into live data: refused, nothing written.
            var again = await CliAsync(target.ConnectionString, "restore", "--from", folder);
            Assert.Equal(1, again.Code);
            Assert.Contains("not empty", again.Json.GetProperty("error").GetString(), StringComparison.Ordinal);

            var (newApp, newHttp) = await f.StartAppAsync(new Dictionary<string, string> { ["AzureWebJobsStorage"] = target.ConnectionString });
            await using var stopNew = newApp;
            var after = await AnswersAsync(newHttp, demo, now);
            for (int i = 0; i < before.Count; i++) Assert.Equal(before[i], after[i]);
            // The same signing keys: a token from before the move verifies with the restored JWKS, and a new one is signed by a published key.
            var jwks = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await newHttp.GetStringAsync("/.well-known/jwks.json"));
            Assert.Contains(jwks.Keys, k => k.Kid == new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Kid);
            var verified = await newHttp.PostAsJsonAsync("/v1/beacon/verify", new { license = demo.LicenseKey });
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
            // Secrets were stored hashed, and the hashes came along: the demo's keys still sign in.
            Assert.Equal(HttpStatusCode.OK, (await UsageClient.GetAsync(newHttp, "/api/v1/orgs/current", demo.ApiKey)).StatusCode);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
