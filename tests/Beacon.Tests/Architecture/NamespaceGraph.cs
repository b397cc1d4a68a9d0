using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Beacon.Tests.Architecture;

/// <summary>
/// Which namespace of an assembly uses which, read from the compiled assembly with Mono.Cecil: every type a
/// type names in its base types, members, signatures, attributes and method bodies. Read from IL rather than
/// from the sources, because C# lets a namespace use its parent's types without a <c>using</c>, so the
/// sources do not show every edge. Only the assembly's own namespaces under <c>root</c> count: generated
/// code in other namespaces (the request delegate generator's interceptors, the OTLP messages) is left out.
/// </summary>
public sealed class NamespaceGraph
{
    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    /// <summary>Every namespace read → the namespaces it uses, each with one example ("Type uses Type").</summary>
    public IReadOnlyDictionary<string, Dictionary<string, string>> Edges => _edges;

    public void Add(string from, string to, string example)
    {
        if (from == to) return;
        if (!_edges.TryGetValue(from, out var targets)) _edges[from] = targets = new(StringComparer.Ordinal);
        targets.TryAdd(to, example);
        _edges.TryAdd(to, new(StringComparer.Ordinal));
    }

    public static NamespaceGraph Of(string assemblyPath, string root)
    {
        var graph = new NamespaceGraph();
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        bool Ours(string ns) => ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);
        foreach (var type in module.GetTypes())
        {
            var from = Outermost(type).Namespace;
            if (!Ours(from)) continue;
            graph._edges.TryAdd(from, new(StringComparer.Ordinal));
            void Use(TypeReference? used)
            {
                foreach (var named in Components(used))
                {
                    if (named is not TypeDefinition { } definition || definition.Module != module) continue; // another assembly's type
                    var ns = Outermost(named).Namespace;
                    if (Ours(ns)) graph.Add(from, ns, $"{Outermost(type).FullName} uses {Outermost(named).FullName}");
                }
            }
            Use(type.BaseType);
            foreach (var i in type.Interfaces) Use(i.InterfaceType);
            foreach (var a in type.CustomAttributes) Use(a.AttributeType);
            foreach (var f in type.Fields) Use(f.FieldType);
            foreach (var p in type.Properties) Use(p.PropertyType);
            foreach (var m in type.Methods)
            {
                Use(m.ReturnType);
                foreach (var p in m.Parameters) Use(p.ParameterType);
                foreach (var a in m.CustomAttributes) Use(a.AttributeType);
                if (!m.HasBody) continue;
                foreach (var v in m.Body.Variables) Use(v.VariableType);
                foreach (var instruction in m.Body.Instructions)
                {
                    switch (instruction.Operand)
                    {
                        case TypeReference t: Use(t); break;
                        case MethodReference mr:
                            Use(mr.DeclaringType);
                            Use(mr.ReturnType);
                            if (mr is GenericInstanceMethod gm) foreach (var g in gm.GenericArguments) Use(g);
                            break;
                        case FieldReference fr: Use(fr.DeclaringType); Use(fr.FieldType); break;
                    }
                }
            }
        }
        return graph;
    }

    /// <summary>The namespaces that depend on each other in a circle: each strongly connected set of two or more.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        // Tarjan's algorithm; recursion is fine for a few dozen namespaces.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var result = new List<IReadOnlyList<string>>();
        int next = 0;
        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in _edges[v].Keys)
            {
                if (!index.TryGetValue(w, out var seen))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], seen);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            } while (x != v);
            if (component.Count > 1) result.Add([.. component.Order(StringComparer.Ordinal)]);
        }
        foreach (var v in _edges.Keys.Order(StringComparer.Ordinal).ToList())
            if (!index.ContainsKey(v)) Visit(v);
        return result;
    }

    /// <summary>One line per edge inside a cycle, with the example that makes it.</summary>
    public string Explain(IReadOnlyList<string> cycle) =>
        string.Join("\n", cycle.SelectMany(from => _edges[from].Where(e => cycle.Contains(e.Key)).Select(e => $"  {from} → {e.Key}: {e.Value}")));

    private static TypeReference Outermost(TypeReference t)
    {
        while (t.DeclaringType is not null) t = t.DeclaringType;
        return t;
    }

    /// <summary>The named types inside a type: array elements, pointers, generic arguments.</summary>
    private static IEnumerable<TypeReference> Components(TypeReference? t)
    {
        switch (t)
        {
            case null or GenericParameter:
                yield break;
            case GenericInstanceType g:
                foreach (var c in Components(g.ElementType)) yield return c;
                foreach (var a in g.GenericArguments)
                    foreach (var c in Components(a)) yield return c;
                yield break;
            case TypeSpecification s:
                foreach (var c in Components(s.ElementType)) yield return c;
                yield break;
            default:
                yield return t;
                yield break;
        }
    }
}
