namespace Beacon.Tests.Architecture;

/// <summary>
/// Dependencies point one way inside every project: no two namespaces of an assembly use each other, directly
/// or around a longer circle. Between projects the project references already enforce one direction
/// (Domain ← Storage ← Beacon ← Functions). The storage layers' order is checked in
/// tests/Beacon.Storage.Tests/ArchitectureTests.cs.
/// </summary>
public sealed class NamespaceCycleTests
{
    public static TheoryData<string> Assemblies() => ["Beacon.Domain", "Beacon.Storage", "beacon", "Beacon.Functions", "Beacon.Azurite"];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void No_namespace_of_a_project_depends_on_itself_through_others(string assembly)
    {
        // The worker is not copied next to the tests (it is an executable with its own host); it is built first.
        var path = Path.Combine(assembly == "Beacon.Functions" ? FunctionsHost.BuiltApp.WorkerFolder(typeof(NamespaceCycleTests).Assembly) : AppContext.BaseDirectory, assembly + ".dll");
        var graph = NamespaceGraph.Of(path, "Beacon");
        Assert.NotEmpty(graph.Edges); // read something: an empty graph has no cycles for the wrong reason
        Assert.All(graph.Edges.Keys, ns => Assert.StartsWith("Beacon", ns, StringComparison.Ordinal));
        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, $"{assembly} has {cycles.Count} dependency cycle(s):\n" + string.Join("\n", cycles.Select(c => string.Join(" ↔ ", c) + "\n" + graph.Explain(c))));
    }

    [Fact]
    public void A_cycle_is_found_however_long_it_is_and_a_one_way_graph_has_none()
    {
        var oneWay = new NamespaceGraph();
        oneWay.Add("Beacon.Api", "Beacon.Hosting", "x");
        oneWay.Add("Beacon.Hosting", "Beacon.Tokens", "x");
        oneWay.Add("Beacon.Api", "Beacon.Tokens", "x");
        Assert.Empty(oneWay.Cycles());

        var circle = new NamespaceGraph();
        circle.Add("Beacon.Api", "Beacon.Hosting", "Api uses Hosting");
        circle.Add("Beacon.Hosting", "Beacon.Tokens", "Hosting uses Tokens");
        circle.Add("Beacon.Tokens", "Beacon.Api", "Tokens uses Api");
        circle.Add("Beacon.Tokens", "Beacon.Domain", "outside the circle");
        var cycle = Assert.Single(circle.Cycles());
        Assert.Equal(["Beacon.Api", "Beacon.Hosting", "Beacon.Tokens"], cycle);
        Assert.Contains("Tokens uses Api", circle.Explain(cycle), StringComparison.Ordinal);
        Assert.DoesNotContain("outside", circle.Explain(cycle), StringComparison.Ordinal);
    }
}
