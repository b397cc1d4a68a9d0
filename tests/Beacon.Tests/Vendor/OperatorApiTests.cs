using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Cli;
using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;
using Fault = Beacon.Testing.FaultInjectingTransport.Fault;

namespace Beacon.Tests.Vendor;

/// <summary>The operator API's license actions, telemetry and snapshots, and the audit log (SPEC §12).</summary>
[Collection(BeaconCollection.Name)]
public sealed class OperatorApiTests(NoFleetWriterFixture f)
{
    private readonly List<HttpStatusCode> _verified = [];

    private async Task<HttpStatusCode> VerifyAsync(string licenseKey)
    {
        var status = (await f.PostAsync("/v1/beacon/verify", new { license = licenseKey })).StatusCode;
        _verified.Add(status);
        return status;
    }

    private async Task<List<JsonElement>> AuditAsync(string key) =>
        [.. (await Operators.GetJsonAsync(f.Http, "/api/v1/operator/audit?limit=1000", key)).GetProperty("records").EnumerateArray()];

    [Fact]
    public async Task License_actions_take_effect_within_a_minute_and_are_audited_with_the_operators_name()
    {
        var name = "ops-" + Guid.NewGuid().ToString("N")[..6];
        var key = await Operators.NewKeyAsync(f, name);
        var org = await f.NewOrgAsync();
        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, await VerifyAsync(org.LicenseKey));

        var suspended = await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/licenses/{org.LicenseId}/suspend", key);
        Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);
        Assert.Equal("suspended", (await suspended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        // The credential cache lives ≤ 60 s (1 s in tests): the deployment is refused within that.
        Assert.Equal(HttpStatusCode.Forbidden, await Operators.EventuallyAsync(() => VerifyAsync(org.LicenseKey), s => s == HttpStatusCode.Forbidden, 60));

        var license = await Operators.LicenseAsync(f, key, org.OrgId, org.LicenseId);
        Assert.Equal("suspended", license.GetProperty("status").GetString());
        Assert.Equal(_verified.Count(s => s == HttpStatusCode.OK), license.GetProperty("verifications_30d").GetInt64());
        Assert.Equal(_verified.Count(s => s == HttpStatusCode.Forbidden), license.GetProperty("refused_verifications_30d").GetInt64());
        Assert.NotEqual(JsonValueKind.Null, license.GetProperty("last_verified_at").ValueKind);
        Assert.Equal(["agent_deployments", "traces"], license.GetProperty("entitlements").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, license.GetProperty("quotas").GetArrayLength());
        Assert.Equal("enterprise", license.GetProperty("plan").GetString());
        Assert.False(string.IsNullOrEmpty(license.GetProperty("org_name").GetString()));

        Assert.Equal(HttpStatusCode.OK, (await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/licenses/{org.LicenseId}/activate", key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await Operators.EventuallyAsync(() => VerifyAsync(org.LicenseKey), s => s == HttpStatusCode.OK, 60));

        var until = f.Clock.GetUtcNow().AddYears(2);
        var extended = await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/licenses/{org.LicenseId}/extend", key, new { expires_at = until.ToString("O") });
        Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        Assert.Equal(until.ToUnixTimeSeconds(), (await Operators.LicenseAsync(f, key, org.OrgId, org.LicenseId)).GetProperty("expires_at").GetDateTimeOffset().ToUnixTimeSeconds());

        // Refusals that retrying cannot fix: 400 and 404, nothing changed, nothing audited.
        Assert.Equal(HttpStatusCode.BadRequest, (await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/licenses/{org.LicenseId}/extend", key, new { expires_at = "2020-01-01T00:00:00Z" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/licenses/{org.LicenseId}/extend", key, new { expires_at = "next year" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/licenses/{Guid.NewGuid()}/revoke", key)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Operators.SendAsync(f.Http, HttpMethod.Get, "/api/v1/operator/deployments?state=asleep", key)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Operators.SendAsync(f.Http, HttpMethod.Get, "/api/v1/operator/audit?limit=0", key)).StatusCode);

        var mine = (await AuditAsync(key)).Where(r => r.GetProperty("target").GetString() == "license:" + org.LicenseId).ToList();
        Assert.Equal(["license.extend", "license.activate", "license.suspend"], mine.Select(r => r.GetProperty("action").GetString()));
        Assert.All(mine, r => Assert.Equal(name, r.GetProperty("actor").GetString()));
        Assert.Equal(org.OrgId, mine[2].GetProperty("detail").GetProperty("org_id").GetString());
        Assert.True(mine[0].GetProperty("at").GetDateTimeOffset() >= mine[2].GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Telemetry_and_snapshots_of_a_license_are_what_its_install_sent()
    {
        var key = await Operators.NewKeyAsync(f);
        var org = await f.NewOrgAsync();
        long nanos = f.Clock.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
        await Operators.PostOtlpJsonAsync(f, org.LicenseKey, "metrics",
            $$$"""{"resourceMetrics":[{"resource":{"attributes":[{"key":"service.instance.id","value":{"stringValue":"pod-a"}}]},"scopeMetrics":[{"metrics":[{"name":"lg_api_workers_available","gauge":{"dataPoints":[{"asInt":"6","timeUnixNano":"{{{nanos}}}"}]}}]}]}]}""");
        await Operators.PostOtlpJsonAsync(f, org.LicenseKey, "logs",
            $$$"""{"resourceLogs":[{"resource":{"attributes":[{"key":"service.instance.id","value":{"stringValue":"pod-a"}}]},"scopeLogs":[{"logRecords":[{"timeUnixNano":"{{{nanos}}}","severityNumber":17,"severityText":"ERROR","body":{"stringValue":"redis pool exhausted"}},{"timeUnixNano":"{{{nanos}}}","severityNumber":9,"severityText":"INFO","body":{"stringValue":"started"}}]}]}]}""");
        var from = f.Clock.GetUtcNow().AddDays(-1);
        var snapshot = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["license_key"] = org.LicenseKey, ["from_timestamp"] = from.ToString("O"), ["to_timestamp"] = from.AddHours(1).ToString("O"), ["measures"] = new { users = 63, projects = 87 },
        });
        Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/beacon/usage-snapshot", snapshot)).StatusCode);

        var telemetry = await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/telemetry?license_id={org.LicenseId}", key);
        var instance = Assert.Single(telemetry.GetProperty("instances").EnumerateArray());
        Assert.Equal("pod-a", instance.GetProperty("instance_id").GetString());
        var metric = Assert.Single(instance.GetProperty("metrics").EnumerateArray());
        Assert.Equal(("lg_api_workers_available", 6.0), (metric.GetProperty("name").GetString(), metric.GetProperty("value").GetDouble()));
        var log = Assert.Single(telemetry.GetProperty("logs").EnumerateArray());
        Assert.Equal(("redis pool exhausted", "ERROR", "pod-a"), (log.GetProperty("body").GetString(), log.GetProperty("severity_text").GetString(), log.GetProperty("instance_id").GetString()));
        Assert.Equal(1, telemetry.GetProperty("dropped").GetProperty("logs_below_warn").GetInt64());

        var snapshots = (await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/snapshots?license_id={org.LicenseId}", key)).GetProperty("snapshots");
        var s = Assert.Single(snapshots.EnumerateArray());
        Assert.Equal((63L, 87L), (s.GetProperty("measures").GetProperty("users").GetInt64(), s.GetProperty("measures").GetProperty("projects").GetInt64()));

        Assert.Equal(HttpStatusCode.NotFound, (await Operators.SendAsync(f.Http, HttpMethod.Get, $"/api/v1/operator/telemetry?license_id={Guid.NewGuid()}", key)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Operators.SendAsync(f.Http, HttpMethod.Get, "/api/v1/operator/snapshots", key)).StatusCode);
    }

    [Fact]
    public async Task Every_cli_change_is_audited_once_as_cli_and_no_secret_reaches_the_log()
    {
        var key = await Operators.NewKeyAsync(f);
        var settings = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = f.ConnectionString };
        var printed = new List<string>();
        async Task<JsonElement> Cli(params string[] args)
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Assert.Equal(0, await CliApp.RunAsync([.. args, "--json"], stdout, stderr, settings));
            printed.Add(stdout.ToString());
            return JsonDocument.Parse(stdout.ToString()).RootElement.Clone();
        }

        var orgId = (await Cli("admin", "org", "create", "--name", "Audited")).GetProperty("org_id").GetString()!;
        var ws = (await Cli("admin", "workspace", "create", "--org", orgId, "--name", "Prod")).GetProperty("workspace_id").GetString()!;
        await Cli("admin", "org", "set-default-workspace", "--org", orgId, "--workspace", ws);
        var user = (await Cli("admin", "user", "create", "--org", orgId, "--email", "ada@audited.test", "--workspace", ws)).GetProperty("user_id").GetString()!;
        var apiKey = await Cli("admin", "apikey", "create", "--org", orgId, "--user", user);
        var apiKeyId = apiKey.GetProperty("api_key_id").GetString()!;
        await Cli("admin", "apikey", "revoke", "--org", orgId, "--id", apiKeyId);
        var license = await Cli("admin", "license", "create", "--org", orgId, "--plan", "enterprise");
        var licenseId = license.GetProperty("license_id").GetString()!;
        foreach (var action in new[] { "suspend", "activate", "revoke" }) await Cli("admin", "license", action, "--org", orgId, "--id", licenseId);
        await Cli("admin", "license", "extend", "--org", orgId, "--id", licenseId, "--expires", "2031-01-01T00:00:00Z");
        await Cli("admin", "project", "name", "--org", orgId, "--id", "p-audited", "--name", "Audited bot");
        var kid = (await Cli("admin", "signing-key", "rotate")).GetProperty("kid").GetString()!;
        var op = await Cli("admin", "operator", "create", "--name", "audited-operator");
        var opId = op.GetProperty("operator_id").GetString()!;
        await Cli("admin", "operator", "revoke", "--id", opId);
        await Cli("admin", "license", "list", "--org", orgId); // reads are not audited
        await Cli("admin", "operator", "list");

        var records = await AuditAsync(key);
        var expected = new (string Action, string Target)[]
        {
            ("org.create", "org:" + orgId), ("workspace.create", "workspace:" + ws), ("org.set_default_workspace", "org:" + orgId),
            ("user.create", "user:" + user), ("apikey.create", "apikey:" + apiKeyId), ("apikey.revoke", "apikey:" + apiKeyId),
            ("license.create", "license:" + licenseId), ("license.suspend", "license:" + licenseId), ("license.activate", "license:" + licenseId),
            ("license.revoke", "license:" + licenseId), ("license.extend", "license:" + licenseId), ("project.name", "project:p-audited"),
            ("signing_key.rotate", "signing_key:" + kid), ("operator.create", "operator:" + opId), ("operator.revoke", "operator:" + opId),
        };
        foreach (var (action, target) in expected)
        {
            var found = records.Where(r => r.GetProperty("action").GetString() == action && r.GetProperty("target").GetString() == target).ToList();
            Assert.True(found.Count == 1, $"{action} {target}: {found.Count} records");
            Assert.Equal(AuditLog.CliActor, found[0].GetProperty("actor").GetString());
        }
        // The org's records in the order they were made (newest first).
        var ours = records.Where(r => expected.Any(e => e.Target == r.GetProperty("target").GetString())).Select(r => r.GetProperty("action").GetString()).Reverse().ToList();
        Assert.Equal(expected.Select(e => e.Action), ours);

        var log = JsonSerializer.Serialize(records);
        foreach (var secret in new[] { apiKey.GetProperty("api_key").GetString()!, license.GetProperty("license_key").GetString()!, op.GetProperty("operator_key").GetString()! })
        {
            Assert.DoesNotContain(secret, log, StringComparison.Ordinal);
            Assert.DoesNotContain(Secrets.Hash(secret), log, StringComparison.Ordinal);
            Assert.DoesNotContain(secret[^12..], log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_audit_log_is_append_only_in_code_as_in_storage()
    {
        // The store offers no way to change or remove a record, and no code touches the table but it.
        var source = File.ReadAllText(Path.Combine(AzuriteFixture.RepositoryRoot, "src", "Beacon.Storage", "Stores", "AuditLog.cs"));
        foreach (var forbidden in new[] { "UpdateEntity", "UpsertEntity", "DeleteEntity", "TryUpdateAsync", "SubmitTransaction", "DeleteAsync" })
            Assert.DoesNotContain(forbidden, source, StringComparison.Ordinal);
        var users = Directory.GetFiles(Path.Combine(AzuriteFixture.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(p => File.ReadAllText(p).Contains("tables.Audit", StringComparison.Ordinal)).Select(Path.GetFileName);
        Assert.Equal(["AuditLog.cs"], users);

        // A write whose answer was lost is retried by the SDK and still recorded once.
        var key = await Operators.NewKeyAsync(f);
        var target = "test:" + Guid.NewGuid();
        int lost = 0;
        f.Faults.Set(r => r.Method == Azure.Core.RequestMethod.Post && r.Uri.ToUri().AbsolutePath.EndsWith("/Audit", StringComparison.Ordinal)
            && Interlocked.CompareExchange(ref lost, 1, 0) == 0 ? Fault.CommitUnknown : Fault.None);
        try
        {
            await f.Services.GetRequiredService<AuditLog>().AppendAsync("tester", "test.append", target);
        }
        finally
        {
            f.Faults.Set(null);
        }
        Assert.Equal(1, lost);
        Assert.Single(await AuditAsync(key), r => r.GetProperty("target").GetString() == target);
    }
}
