using Beacon.Settings;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.FunctionApp;

/// <summary>
/// infra/ compiled and linted by the real Bicep CLI (NuGet package Azure.Bicep.CommandLine.linux-x64,
/// fetched by this project's PackageDownload) with zero errors and zero warnings, and the compiled ARM
/// template checked for what the app needs: the plan and runtime, the identity and its roles, storage
/// hardening, every table and container the app uses and every setting it reads.
/// </summary>
[Collection(EdgeCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // the package holds the linux-x64 binary
[Trait("Tier", "Slow")] // the Bicep CLI
public sealed class InfraTests(BeaconFixture f)
{
    private static readonly string Infra = Path.Combine(AzuriteFixture.RepositoryRoot, "infra");

    /// <summary>
    /// Each parameter file compiled once. `bicep build-params` prints the parameters and the template they are for
    /// (main.bicep compiled, byte for byte what `bicep build main.bicep` prints), and reports the linter's diagnostics
    /// for the template and its modules as `bicep build` does; so no separate build of main.bicep (each CLI start
    /// costs seconds of CPU, ADR 0019).
    /// </summary>
    private static readonly Lazy<IReadOnlyList<(string File, JsonElement Compiled)>> ParameterFiles = new(() =>
        [.. Directory.GetFiles(Infra, "*.bicepparam").Order(StringComparer.Ordinal).Select(file => (file, JsonDocument.Parse(Bicep("build-params", file, "--stdout")).RootElement))]);

    private static readonly Lazy<JsonElement> Template = new(() =>
    {
        var templates = ParameterFiles.Value.Select(p => p.Compiled.GetProperty("templateJson").GetString()!).Distinct().ToList();
        return JsonDocument.Parse(Assert.Single(templates)).RootElement;
    });

    private static string BicepCli
    {
        get
        {
            var path = typeof(InfraTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCli").Value!;
            Assert.True(File.Exists(path), $"The Bicep CLI was not restored at {path}");
            // NuGet does not always keep the executable bit of a package's files.
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
            return path;
        }
    }

    /// <summary>Runs the CLI; any diagnostic at all (error or warning, on either stream) fails the test.</summary>
    private static string Bicep(params string[] args)
    {
        var psi = new ProcessStartInfo(BicepCli) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"bicep {string.Join(' ', args)} exited {process.ExitCode}: {stderr}");
        Assert.True(stderr.Trim().Length == 0, $"bicep {string.Join(' ', args)} reported: {stderr}");
        return stdout.Result;
    }

    [Fact]
    public void Main_bicep_builds_and_lints_without_a_single_diagnostic()
    {
        // Compiling the parameter files builds main.bicep and reports the linter's diagnostics for it and every module
        // it uses, as `bicep lint` does (tried: an unused variable in modules/roles.bicep is reported by both), and
        // Bicep() fails on any: the builds are the lint (each CLI start costs seconds of CPU). So every module must be
        // one main.bicep uses.
        Assert.Equal("Microsoft.Resources/deployments", Resources(Template.Value).First().GetProperty("type").GetString());
        var main = File.ReadAllText(Path.Combine(Infra, "main.bicep"));
        foreach (var module in Directory.GetFiles(Path.Combine(Infra, "modules"), "*.bicep"))
            Assert.Contains($"'modules/{Path.GetFileName(module)}'", main, StringComparison.Ordinal);
        Assert.Equal(["main.bicep"], Directory.GetFiles(Infra, "*.bicep").Select(Path.GetFileName));
    }

    [Fact]
    public void Every_parameter_file_builds_and_sets_a_valid_environment()
    {
        Assert.Equal(2, ParameterFiles.Value.Count);
        foreach (var (file, compiled) in ParameterFiles.Value)
        {
            var parameters = JsonDocument.Parse(compiled.GetProperty("parametersJson").GetString()!).RootElement;
            var environment = parameters.GetProperty("parameters").GetProperty("environmentName").GetProperty("value").GetString();
            Assert.Contains(environment, new[] { "dev", "prod" });
            Assert.EndsWith($".{environment}.bicepparam", file, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_app_runs_on_flex_consumption_as_an_isolated_worker_with_a_system_assigned_identity()
    {
        var plan = Resource("Microsoft.Web/serverfarms");
        Assert.Equal(("FC1", "FlexConsumption"), (plan.GetProperty("sku").GetProperty("name").GetString(), plan.GetProperty("sku").GetProperty("tier").GetString()));
        var site = Resource("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", site.GetProperty("kind").GetString());
        Assert.Equal("SystemAssigned", site.GetProperty("identity").GetProperty("type").GetString());
        var config = site.GetProperty("properties").GetProperty("functionAppConfig");
        Assert.Equal(("dotnet-isolated", "10.0"), (config.GetProperty("runtime").GetProperty("name").GetString(), config.GetProperty("runtime").GetProperty("version").GetString()));
        Assert.Equal("SystemAssignedIdentity", config.GetProperty("deployment").GetProperty("storage").GetProperty("authentication").GetProperty("type").GetString());
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", Template.Value.GetRawText(), StringComparison.Ordinal); // not used on Flex
    }

    [Fact]
    public void Storage_allows_no_shared_keys_or_public_blobs_and_declares_every_table_and_container_the_app_uses()
    {
        var account = Resource("Microsoft.Storage/storageAccounts").GetProperty("properties");
        Assert.False(account.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(account.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.Equal("TLS1_2", account.GetProperty("minimumTlsVersion").GetString());

        // Tables and containers are copy loops over the storage module's variables.
        var storage = Deployment("storage").GetProperty("properties").GetProperty("template").GetProperty("variables");
        var declared = storage.GetProperty("tables").EnumerateArray().Concat(storage.GetProperty("containers").EnumerateArray()).Select(e => e.GetString()).ToHashSet();
        Assert.Contains("variables('tables')[copyIndex()]", Resource("Microsoft.Storage/storageAccounts/tableServices/tables").GetProperty("name").GetString(), StringComparison.Ordinal);
        var tables = f.Services.GetRequiredService<Tables>();
        Assert.All(tables.AllTables.Select(t => t.Name), t => Assert.Contains(t, declared));
        Assert.All(tables.AllContainers.Select(c => c.Name), c => Assert.Contains(c, declared));
    }

    [Fact]
    public void The_identity_gets_the_storage_and_telemetry_roles()
    {
        var roles = Deployment("roles").GetProperty("properties");
        var template = roles.GetProperty("template").GetRawText();
        foreach (var id in new[] { "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "3913510d-42f4-4e42-8a64-420c390055eb" })
            Assert.Contains(id, template, StringComparison.Ordinal);
        Assert.Contains("reference(resourceId('Microsoft.Resources/deployments', 'functionapp')", roles.GetProperty("parameters").GetProperty("principalId").GetProperty("value").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_setting_the_app_reads_is_set()
    {
        var app = Deployment("functionapp").GetProperty("properties");
        var baseSettings = app.GetProperty("template").GetProperty("variables").GetProperty("baseSettings").EnumerateArray().Select(s => s.GetProperty("name").GetString()!);
        var beaconSettings = app.GetProperty("parameters").GetProperty("beaconSettings").GetProperty("value").EnumerateObject().Select(p => p.Name);
        var settings = baseSettings.Concat(beaconSettings).ToHashSet();

        Assert.Contains("AzureWebJobsStorage__accountName", settings);
        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", settings);
        Assert.Contains("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", settings);
        // Every option except RunScheduler, which the worker forces off (the host's timer owns it); the Rollup
        // timer's %Beacon:RollupSchedule% resolves to Beacon__RollupSchedule.
        var options = typeof(BeaconOptions).GetProperties().Where(p => p.Name != nameof(BeaconOptions.RunScheduler));
        Assert.All(options, p => Assert.Contains($"Beacon__{p.Name}", settings));
    }

    /// <summary>Every resource of the template, nested deployments' templates included.</summary>
    private static IEnumerable<JsonElement> Resources(JsonElement template)
    {
        foreach (var r in template.GetProperty("resources").EnumerateArray())
        {
            yield return r;
            if (r.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
                foreach (var inner in Resources(r.GetProperty("properties").GetProperty("template")))
                    yield return inner;
        }
    }

    private static JsonElement Resource(string type) => Resources(Template.Value).Single(r => r.GetProperty("type").GetString() == type);

    private static JsonElement Deployment(string name) =>
        Resources(Template.Value).Single(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString() == name);
}
