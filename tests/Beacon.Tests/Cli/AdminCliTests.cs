using System.Diagnostics;
using System.Text.Json;
using Beacon.Cli;
using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Cli;

/// <summary>The operator CLI: field names scripts rely on (SPEC §8), secrets shown once and stored hashed.</summary>
[Collection(BeaconCollection.Name)]
public sealed class AdminCliTests(NoFleetWriterFixture f)
{
    private async Task<(int Code, JsonElement Json, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync([.. args, "--json"], stdout, stderr,
            new Dictionary<string, string?> { ["AzureWebJobsStorage"] = f.ConnectionString });
        var text = stdout.ToString();
        var json = text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (code, json, text, stderr.ToString());
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=not base64!", "AccountKey is not base64")]
    [InlineData("AccountName=acme", "neither an AccountKey nor a SharedAccessSignature")]
    [InlineData("just-some-text", "is not a Name=value pair")]
    [InlineData("UseDevelopmentStorage=yes", "UseDevelopmentStorage may only be true")]
    public async Task A_malformed_storage_setting_is_one_line_naming_the_setting_for_serve_and_every_command(string setting, string reason)
    {
        foreach (var args in new[] { new[] { "serve", "--urls", "http://127.0.0.1:0", $"--AzureWebJobsStorage={setting}" }, ["admin", "operator", "list"] })
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await CliApp.RunAsync(args, stdout, stderr, new Dictionary<string, string?> { ["AzureWebJobsStorage"] = setting });
            Assert.Equal(2, code);
            var line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: AzureWebJobsStorage is not a usable storage connection string: ", line, StringComparison.Ordinal);
            Assert.Contains(reason, line, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Beacon:Rollup:LeaseDuration", "00:00:05", "The settings under Beacon:Rollup are not valid: The field LeaseDuration must be between 00:00:15 and 00:01:00.")]
    [InlineData("Beacon:Storage:MaxRetries", "99", "The settings under Beacon:Storage are not valid: The field MaxRetries must be between 0 and 10.")]
    [InlineData("Beacon:FleetMaxDeployments", "0", "The settings under Beacon are not valid: ")]
    public async Task A_setting_out_of_its_range_stops_serve_and_every_command_with_one_line_naming_it(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = f.ConnectionString, [key] = value };
        foreach (var args in new[] { new[] { "serve", "--urls", "http://127.0.0.1:0", $"--AzureWebJobsStorage={f.ConnectionString}", $"--{key}={value}" }, ["admin", "operator", "list"] })
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            Assert.Equal(2, await CliApp.RunAsync(args, stdout, stderr, settings));
            var line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: " + message, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_rollup_and_storage_settings_are_read_from_configuration()
    {
        using var app = Hosting.BeaconApp.Build(["--AzureWebJobsStorage=" + f.ConnectionString, "--Beacon:Rollup:MaxStepsPerOrg=3", "--Beacon:Rollup:Grace=00:02:00",
            "--Beacon:Storage:MaxRetries=1", "--Beacon:Storage:NetworkTimeout=00:00:05"]);
        var rollup = app.Services.GetRequiredService<Storage.Rollups.RollupOptions>();
        var storage = app.Services.GetRequiredService<Storage.Account.StoragePipelineOptions>();
        Assert.Equal((3, TimeSpan.FromMinutes(2)), (rollup.MaxStepsPerOrg, rollup.Grace));
        Assert.Equal((1, TimeSpan.FromSeconds(5)), (storage.MaxRetries, storage.NetworkTimeout));
    }

    private static string[] Names(JsonElement e) => [.. e.EnumerateObject().Select(p => p.Name).Order()];

    [Fact]
    public async Task The_admin_commands_print_exactly_the_documented_fields()
    {
        var (code, org, _, _) = await RunAsync("admin", "org", "create", "--name", "Acme");
        Assert.Equal(0, code);
        Assert.Equal(["org_id"], Names(org));
        var orgId = org.GetProperty("org_id").GetString()!;

        var ws = (await RunAsync("admin", "workspace", "create", "--org", orgId, "--name", "Prod")).Json;
        Assert.Equal(["workspace_id"], Names(ws));
        var wsId = ws.GetProperty("workspace_id").GetString()!;

        var user = (await RunAsync("admin", "user", "create", "--org", orgId, "--email", "ada@acme.test", "--workspace", wsId)).Json;
        Assert.Equal(["user_id"], Names(user));

        var key = (await RunAsync("admin", "apikey", "create", "--org", orgId, "--user", user.GetProperty("user_id").GetString()!,
            "--permission", "organization:read", "--workspace", wsId)).Json;
        Assert.Equal(["api_key", "api_key_id", "api_key_short_key"], Names(key));
        var apiKey = key.GetProperty("api_key").GetString()!;
        Assert.Equal(apiKey[..7] + "..." + apiKey[^4..], key.GetProperty("api_key_short_key").GetString());

        var license = (await RunAsync("admin", "license", "create", "--org", orgId, "--plan", "enterprise", "--expires", "2030-01-01T00:00:00Z")).Json;
        Assert.Equal(["license_id", "license_key"], Names(license));
        Assert.StartsWith("lcl_", license.GetProperty("license_key").GetString(), StringComparison.Ordinal);

        var project = (await RunAsync("admin", "project", "name", "--org", orgId, "--id", "3a1c2b6f-4430-4b92-8a5b-79b8b567bbc1", "--name", "Support bot")).Json;
        Assert.Equal("Support bot", project.GetProperty("name").GetString());
        Assert.Equal(["kid"], Names((await RunAsync("admin", "signing-key", "rotate")).Json));

        // Listings show the non-secret forms only.
        var keys = await RunAsync("admin", "apikey", "list", "--org", orgId);
        var licenses = await RunAsync("admin", "license", "list", "--org", orgId);
        Assert.DoesNotContain(apiKey, keys.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(license.GetProperty("license_key").GetString()!, licenses.Stdout, StringComparison.Ordinal);
        Assert.Equal([wsId], keys.Json.GetProperty("api_keys")[0].GetProperty("workspace_ids").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal("active", licenses.Json.GetProperty("licenses")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unknown_permissions_and_keys_that_could_read_nothing_are_refused_and_listings_read_as_text()
    {
        var orgId = (await RunAsync("admin", "org", "create", "--name", "Careful")).Json.GetProperty("org_id").GetString()!;
        var ws = (await RunAsync("admin", "workspace", "create", "--org", orgId, "--name", "Prod")).Json.GetProperty("workspace_id").GetString()!;
        var other = (await RunAsync("admin", "workspace", "create", "--org", orgId, "--name", "Other")).Json.GetProperty("workspace_id").GetString()!;
        var lonely = (await RunAsync("admin", "user", "create", "--org", orgId, "--email", "nobody@careful.test")).Json.GetProperty("user_id").GetString()!;
        var ada = (await RunAsync("admin", "user", "create", "--org", orgId, "--email", "ada@careful.test", "--workspace", ws)).Json.GetProperty("user_id").GetString()!;

        var typo = await RunAsync("admin", "apikey", "create", "--org", orgId, "--permission", "organisation:read");
        Assert.Equal(2, typo.Code);
        Assert.Contains("Unknown permission 'organisation:read'. Known: organization:read.", typo.Stderr, StringComparison.Ordinal);
        var nothing = await RunAsync("admin", "apikey", "create", "--org", orgId, "--user", lonely);
        Assert.Equal(2, nothing.Code);
        Assert.Contains("could read nothing", nothing.Stderr, StringComparison.Ordinal);
        var outside = await RunAsync("admin", "apikey", "create", "--org", orgId, "--user", ada, "--workspace", other);
        Assert.Equal(2, outside.Code);
        Assert.Contains("could read nothing", outside.Stderr, StringComparison.Ordinal);
        // The same user and workspace that overlap: a key that reads Prod.
        Assert.Equal(0, (await RunAsync("admin", "apikey", "create", "--org", orgId, "--user", ada, "--workspace", ws)).Code);

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["admin", "apikey", "list", "--org", orgId], stdout, stderr,
            new Dictionary<string, string?> { ["AzureWebJobsStorage"] = f.ConnectionString }));
        var text = stdout.ToString().Trim();
        Assert.DoesNotContain("{", text, StringComparison.Ordinal);
        var line = Assert.Single(text.Split('\n'));
        Assert.Contains("active", line, StringComparison.Ordinal);
        Assert.Contains("permissions organization:read", line, StringComparison.Ordinal);
        Assert.Contains("last used never", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suspend_revoke_and_apikey_revoke_take_effect()
    {
        var org = await f.NewOrgAsync();
        var (code, json, _, _) = await RunAsync("admin", "license", "suspend", "--org", org.OrgId, "--id", org.LicenseId);
        Assert.Equal((0, "suspended"), (code, json.GetProperty("status").GetString()));
        Assert.Equal("revoked", (await RunAsync("admin", "license", "revoke", "--org", org.OrgId, "--id", org.LicenseId)).Json.GetProperty("status").GetString());
        Assert.Equal(0, (await RunAsync("admin", "apikey", "revoke", "--org", org.OrgId, "--id", org.ApiKeyRecord.KeyId)).Code);

        var credentials = f.Services.GetRequiredService<CredentialStore>();
        Assert.Equal(LicenseStatus.Revoked, (await credentials.FindLicenseAsync(org.LicenseKey))!.Status);
        Assert.True((await credentials.FindApiKeyAsync(org.ApiKey))!.IsRevoked);
    }

    [Fact]
    public async Task The_cli_and_the_operator_api_read_a_new_expiry_the_same_way()
    {
        var key = await Vendor.Operators.NewKeyAsync(f, "ops-expiry");
        var (viaCli, viaApi) = (await f.NewOrgAsync(), await f.NewOrgAsync());
        var credentials = f.Services.GetRequiredService<CredentialStore>();
        var inTwoDays = DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime).AddDays(2);
        foreach (var text in new[] { inTwoDays.ToString("yyyy-MM-dd"), f.Clock.GetUtcNow().AddDays(30).ToString("O"), "2021-01-01T00:00:00Z", "next friday", "2027-13-01" })
        {
            var api = await Vendor.Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/licenses/{viaApi.LicenseId}/extend", key, new { expires_at = text });
            var cli = await RunAsync("admin", "license", "extend", "--org", viaCli.OrgId, "--id", viaCli.LicenseId, "--expires", text);
            if (api.IsSuccessStatusCode)
            {
                Assert.Equal(0, cli.Code);
                Assert.Equal((await credentials.GetLicenseAsync(viaApi.LicenseId))!.ExpiresAt, (await credentials.GetLicenseAsync(viaCli.LicenseId))!.ExpiresAt);
                continue;
            }
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, api.StatusCode);
            var message = JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0].GetProperty("message").GetString()!;
            Assert.NotEqual(0, cli.Code);
            Assert.Contains("--expires " + message, cli.Stderr + cli.Stdout, StringComparison.Ordinal);
        }
        // A date is its first instant, UTC, through both doors.
        Assert.Null(f.Services.GetRequiredService<Operations.LicenseActions>().ReadExpiry(inTwoDays.ToString("yyyy-MM-dd"), out var read));
        Assert.Equal(new DateTimeOffset(inTwoDays.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), read);
    }

    [Fact]
    public async Task The_cli_and_the_operator_api_change_a_license_and_record_it_the_same_way()
    {
        var key = await Vendor.Operators.NewKeyAsync(f, "ops-same-way");
        var viaCli = await f.NewOrgAsync();
        var viaApi = await f.NewOrgAsync();
        var expires = f.Clock.GetUtcNow().AddDays(90);
        Assert.Equal(0, (await RunAsync("admin", "license", "suspend", "--org", viaCli.OrgId, "--id", viaCli.LicenseId)).Code);
        Assert.Equal(0, (await RunAsync("admin", "license", "extend", "--org", viaCli.OrgId, "--id", viaCli.LicenseId, "--expires", expires.ToString("O"))).Code);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Vendor.Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/licenses/{viaApi.LicenseId}/suspend", key, new { })).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Vendor.Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/licenses/{viaApi.LicenseId}/extend", key, new { expires_at = expires.ToString("O") })).StatusCode);

        var records = (await Vendor.Operators.GetJsonAsync(f.Http, "/api/v1/operator/audit?limit=200", key)).GetProperty("records").EnumerateArray().ToList();
        JsonElement Record(TestOrg o, string action) => records.Single(r => r.GetProperty("action").GetString() == action && r.GetProperty("target").GetString() == "license:" + o.LicenseId);
        foreach (var action in new[] { "license.suspend", "license.extend" })
        {
            var (cli, api) = (Record(viaCli, action), Record(viaApi, action));
            Assert.Equal(("cli", "ops-same-way"), (cli.GetProperty("actor").GetString(), api.GetProperty("actor").GetString()));
            // The same details, with each license's own values.
            Assert.Equal(api.GetProperty("detail").EnumerateObject().Select(p => p.Name).Order(), cli.GetProperty("detail").EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal(viaCli.OrgId, cli.GetProperty("detail").GetProperty("org_id").GetString());
        }
        Assert.Equal(("active", "suspended"), (Record(viaCli, "license.suspend").GetProperty("detail").GetProperty("status_before").GetString(),
            Record(viaCli, "license.suspend").GetProperty("detail").GetProperty("status").GetString()));
        Assert.Equal(Record(viaApi, "license.extend").GetProperty("detail").GetProperty("expires_at").GetString(),
            Record(viaCli, "license.extend").GetProperty("detail").GetProperty("expires_at").GetString());

        // An offline key from the CLI: shown once, not an online key, audited as the CLI's.
        var active = await f.NewOrgAsync();
        var offline = await RunAsync("admin", "license", "offline-key", "--org", active.OrgId, "--id", active.LicenseId, "--expires", expires.ToString("O"));
        Assert.Equal(0, offline.Code);
        Assert.Equal(["expires_at", "kid", "license_id", "license_key"], Names(offline.Json));
        Assert.Equal(3, offline.Json.GetProperty("license_key").GetString()!.Split('.').Length);
        var refused = await RunAsync("admin", "license", "offline-key", "--org", viaCli.OrgId, "--id", viaCli.LicenseId, "--expires", expires.ToString("O"));
        Assert.Equal(1, refused.Code); // suspended: no offline key
        Assert.Contains("suspended", refused.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        var issued = (await Vendor.Operators.GetJsonAsync(f.Http, "/api/v1/operator/audit?limit=50", key)).GetProperty("records").EnumerateArray()
            .Single(r => r.GetProperty("action").GetString() == "license.offline_key" && r.GetProperty("target").GetString() == "license:" + active.LicenseId);
        Assert.Equal("cli", issued.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Unreachable_storage_is_one_line_that_says_so_not_a_crash()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        // A well-formed connection string to a port nothing listens on.
        var nowhere = Azurite.Azurite.ConnectionStringFor(tablePort: 1, blobPort: 1);
        var code = await CliApp.RunAsync(["admin", "operator", "list"], stdout, stderr, new Dictionary<string, string?> { ["AzureWebJobsStorage"] = nowhere });
        Assert.Equal(1, code);
        var error = stderr.ToString().Trim();
        Assert.StartsWith("error: Storage is unavailable", error, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mistakes_fail_clearly_with_a_json_error_and_a_nonzero_exit()
    {
        var org = await f.NewOrgAsync();
        var other = await f.NewOrgAsync();
        var missing = await RunAsync("admin", "org", "create");
        var unknownOrg = await RunAsync("admin", "workspace", "create", "--org", Guid.NewGuid().ToString(), "--name", "x");
        var foreignWorkspace = await RunAsync("admin", "apikey", "create", "--org", org.OrgId, "--workspace", other.WorkspaceA);
        var unknownKey = await RunAsync("admin", "apikey", "revoke", "--org", org.OrgId, "--id", "nope");

        Assert.Equal(2, missing.Code);
        Assert.Contains("--name", missing.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, unknownOrg.Code);
        Assert.Equal(2, foreignWorkspace.Code);
        Assert.Equal(1, unknownKey.Code);
        Assert.All(new[] { missing, unknownOrg, foreignWorkspace, unknownKey }, r => Assert.True(r.Json.TryGetProperty("error", out _)));
    }

    [Fact]
    public async Task The_real_executable_prints_one_json_object_and_nothing_else_on_stdout()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "beacon.dll"), "admin", "org", "create", "--name", "Proc Org", "--json" }) psi.ArgumentList.Add(a);
        psi.Environment["AzureWebJobsStorage"] = f.ConnectionString;
        using var process = Process.Start(psi)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var json = JsonDocument.Parse(Assert.Single(lines)).RootElement;
        Assert.NotNull(await f.Services.GetRequiredService<DirectoryStore>().GetOrgAsync(json.GetProperty("org_id").GetString()!));
    }
}
