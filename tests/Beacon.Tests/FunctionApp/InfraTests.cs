using System.Text.RegularExpressions;
using Beacon.Hosting;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.FunctionApp;

/// <summary>
/// The Bicep compiler cannot be installed here, so infra/ is checked structurally: the plan, runtime,
/// identity, role assignments, storage hardening, every table and container the app uses, and every
/// app setting the app reads. Renaming a setting or adding a table without infra fails here.
/// </summary>
[Collection(BeaconCollection.Name)]
public sealed partial class InfraTests(BeaconFixture f)
{
    private static readonly string Infra = Path.Combine(AzuriteFixture.RepositoryRoot, "infra");

    private static string All() => string.Join('\n', Directory.GetFiles(Infra, "*.bicep*", SearchOption.AllDirectories).Select(File.ReadAllText));

    private static string Module(string name) => File.ReadAllText(Path.Combine(Infra, "modules", name));

    private static string Squash(string bicep) => WhiteSpace().Replace(bicep, " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [Fact]
    public void Every_bicep_file_is_balanced_and_every_module_it_uses_exists()
    {
        foreach (var file in Directory.GetFiles(Infra, "*.bicep*", SearchOption.AllDirectories))
        {
            var text = Regex.Replace(File.ReadAllText(file), @"//.*$|'(?:[^'\\]|\\.)*'", "", RegexOptions.Multiline);
            Assert.True(text.Count(c => c == '{') == text.Count(c => c == '}'), $"{file}: braces");
            Assert.True(text.Count(c => c == '[') == text.Count(c => c == ']'), $"{file}: brackets");
            Assert.True(text.Count(c => c == '(') == text.Count(c => c == ')'), $"{file}: parentheses");
        }
        foreach (Match m in Regex.Matches(File.ReadAllText(Path.Combine(Infra, "main.bicep")), @"module \w+ '([^']+)'"))
            Assert.True(File.Exists(Path.Combine(Infra, m.Groups[1].Value)), m.Groups[1].Value);
        foreach (var p in Directory.GetFiles(Infra, "*.bicepparam"))
            Assert.Contains("using 'main.bicep'", File.ReadAllText(p), StringComparison.Ordinal);
    }

    [Fact]
    public void The_app_runs_on_flex_consumption_as_a_custom_handler_with_a_system_assigned_identity()
    {
        var app = Squash(Module("functionapp.bicep"));
        Assert.Contains("sku: { name: 'FC1' tier: 'FlexConsumption' }", app, StringComparison.Ordinal);
        Assert.Contains("runtime: { name: 'custom' version: '1.0' }", app, StringComparison.Ordinal);
        Assert.Contains("identity: { type: 'SystemAssigned' }", app, StringComparison.Ordinal);
        Assert.Contains("authentication: { type: 'SystemAssignedIdentity' }", app, StringComparison.Ordinal);
        Assert.Contains("kind: 'functionapp,linux'", app, StringComparison.Ordinal);
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", All(), StringComparison.Ordinal); // not used on Flex
    }

    [Fact]
    public void Storage_allows_no_shared_keys_or_public_blobs_and_declares_every_table_and_container_the_app_uses()
    {
        var storage = Squash(Module("storage.bicep"));
        Assert.Contains("allowSharedKeyAccess: false", storage, StringComparison.Ordinal);
        Assert.Contains("allowBlobPublicAccess: false", storage, StringComparison.Ordinal);
        Assert.Contains("minimumTlsVersion: 'TLS1_2'", storage, StringComparison.Ordinal);

        var tables = f.Services.GetRequiredService<Tables>();
        var declared = Regex.Matches(Module("storage.bicep"), @"^\s+'([A-Za-z0-9-]+)'\s*$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.All(tables.AllTables.Select(t => t.Name), t => Assert.Contains(t, declared));
        Assert.All(tables.AllContainers.Select(c => c.Name), c => Assert.Contains(c, declared));
    }

    [Fact]
    public void The_identity_gets_the_storage_and_telemetry_roles()
    {
        var roles = Module("roles.bicep");
        foreach (var id in new[] { "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "3913510d-42f4-4e42-8a64-420c390055eb" })
            Assert.Contains(id, roles, StringComparison.Ordinal);
        Assert.Contains("principalId: app.outputs.principalId", Squash(File.ReadAllText(Path.Combine(Infra, "main.bicep"))), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_setting_the_app_reads_is_set()
    {
        var all = All();
        var settings = Regex.Matches(all, @"name: '([A-Za-z0-9_]+)'").Select(m => m.Groups[1].Value)
            .Concat(Regex.Matches(all, @"^\s+(Beacon__\w+):", RegexOptions.Multiline).Select(m => m.Groups[1].Value))
            .ToHashSet();

        Assert.Contains("AzureWebJobsStorage__accountName", settings);
        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", settings);
        Assert.Contains("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", settings);
        // Every option except RunScheduler, which custom-handler mode forces off (the host's timer owns it).
        var options = typeof(BeaconOptions).GetProperties().Where(p => p.Name != nameof(BeaconOptions.RunScheduler));
        Assert.All(options, p => Assert.Contains($"Beacon__{p.Name}", settings));
        // The timer's schedule comes from one of them.
        Assert.Contains("%Beacon__RollupSchedule%", File.ReadAllText(Path.Combine(FunctionDefinitionTests.FunctionAppSource, "Rollup", "function.json")), StringComparison.Ordinal);
    }
}
