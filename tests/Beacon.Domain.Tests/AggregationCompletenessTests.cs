using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Beacon.Domain.Tests;

/// <summary>
/// Every switch over an aggregation names every member and has no default arm (CS8524 is off in
/// Directory.Build.props), so a new kind that some code does not handle fails the build. This compiles the
/// domain's own sources twice — as they are, and with one more <c>Aggregation</c> member — and expects the
/// compiler to find the missing cases only in the second.
/// </summary>
[Trait("Tier", "Slow")] // exhaustive over every grouping and filter
public sealed class AggregationCompletenessTests
{
    private static string DomainSources()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BeaconFunctions.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "src", "Beacon.Domain");
    }

    private static IReadOnlyList<Diagnostic> Compile(Func<string, string, string> edit)
    {
        var root = DomainSources();
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => CSharpSyntaxTree.ParseText(edit(Path.GetFileName(f), File.ReadAllText(f)), options, f))
            .Append(CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using System.Linq; global using System.IO; global using System.Threading; global using System.Threading.Tasks;", options))
            .ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("DomainCheck", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
                specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic> { ["CS8524"] = ReportDiagnostic.Suppress }));
        return [.. compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];
    }

    [Fact]
    public void An_aggregation_that_some_switch_does_not_handle_fails_the_build()
    {
        var asIs = Compile((_, text) => text);
        Assert.DoesNotContain(asIs, d => d.Id is "CS8509" or "CS0103" or "CS0246");

        var extended = Compile((file, text) => file == "Aggregation.cs" ? text.Replace("    TraceCount,", "    TraceCount,\n    Maximum,", StringComparison.Ordinal) : text);
        var missing = extended.Where(d => d.Id == "CS8509").Select(d => Path.GetFileName(d.Location.SourceTree!.FilePath)).Distinct().Order().ToList();
        // Each place that turns an aggregation into behaviour is a compile error until it handles the new one.
        Assert.Equal(["Meter.cs", "ReportedCells.cs", "TraceMeters.cs", "WindowMeters.cs"], missing);
    }
}
