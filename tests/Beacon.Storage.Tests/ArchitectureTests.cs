using System.Text.RegularExpressions;

namespace Beacon.Storage.Tests;

/// <summary>
/// The rules a newcomer can rely on when reading the code, checked on the sources: storage is reached
/// only through the SDKs; inside Beacon.Storage dependencies point one way (Account ← Stores ← Alerts ←
/// Rollups ← Query ← Statements ← Exports ← Reports ← Maintenance); the domain knows nothing of storage or
/// HTTP; one top-level type per file.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string Src = Path.Combine(AzuriteFixture.RepositoryRoot, "src");

    private static readonly string[] Layers = ["Account", "Stores", "Alerts", "Rollups", "Query", "Statements", "Exports", "Reports", "Maintenance"];

    private static IEnumerable<string> Sources(string folder) =>
        Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                                                             && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex(@"Beacon\.Storage\.(Account|Stores|Alerts|Rollups|Query|Statements|Exports|Reports|Maintenance)\b")]
    private static partial Regex StorageNamespace();

    [GeneratedRegex(@"^(?:public |internal |file )?(?:(?:sealed|static|abstract|partial|readonly) )*(?:class|record|struct|enum|interface) ", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    [Fact]
    public void Storage_layers_depend_only_on_the_layers_below_them()
    {
        foreach (var (layer, rank) in Layers.Select((l, i) => (l, i)))
            foreach (var file in Sources(Path.Combine(Src, "Beacon.Storage", layer)))
                foreach (Match m in StorageNamespace().Matches(File.ReadAllText(file)))
                    Assert.True(Array.IndexOf(Layers, m.Groups[1].Value) <= rank, $"{Path.GetFileName(file)} ({layer}) uses the {m.Groups[1].Value} layer above it");
    }

    [Fact]
    public void The_domain_knows_nothing_of_storage_http_or_azure()
    {
        foreach (var file in Sources(Path.Combine(Src, "Beacon.Domain")))
        {
            var text = File.ReadAllText(file);
            foreach (var forbidden in new[] { "using Azure", "Beacon.Storage", "Microsoft.AspNetCore", "HttpClient" })
                Assert.False(text.Contains(forbidden, StringComparison.Ordinal), $"{Path.GetFileName(file)} mentions {forbidden}");
        }
    }

    [Fact]
    public void Nothing_under_src_builds_signs_or_parses_a_storage_request_by_hand()
    {
        foreach (var file in Sources(Src))
        {
            var text = File.ReadAllText(file);
            foreach (var forbidden in new[] { "SharedKey", "x-ms-date", "multipart/mixed", "HMACSHA256" })
                Assert.False(text.Contains(forbidden, StringComparison.Ordinal), $"{Path.GetFileName(file)} mentions {forbidden}");
        }
    }

    [Fact]
    public void Every_source_file_holds_one_top_level_type()
    {
        foreach (var file in Sources(Src).Concat(Sources(Path.Combine(AzuriteFixture.RepositoryRoot, "bench"))))
            Assert.True(TopLevelType().Count(File.ReadAllText(file)) <= 1, $"{file} holds more than one top-level type");
    }
}
