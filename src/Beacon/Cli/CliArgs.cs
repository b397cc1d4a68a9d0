namespace Beacon.Cli;

/// <summary>
/// <c>word word --name value --name value --flag</c>: positional words, repeatable options and the
/// boolean flags listed in <see cref="Flags"/>.
/// </summary>
internal sealed class CliArgs
{
    private static readonly HashSet<string> Flags = ["json", "help"];
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private CliArgs(List<string> words) => Words = words;

    public IReadOnlyList<string> Words { get; }

    public bool Json => _flags.Contains("json");

    public static CliArgs Parse(IReadOnlyList<string> args)
    {
        var words = new List<string>();
        var parsed = new CliArgs(words);
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                words.Add(a);
                continue;
            }
            var name = a[2..];
            string? inline = null;
            if (name.Contains('=', StringComparison.Ordinal)) (name, inline) = (name[..name.IndexOf('=', StringComparison.Ordinal)], name[(name.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            if (Flags.Contains(name))
            {
                parsed._flags.Add(name);
                continue;
            }
            var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new CliUsageException($"--{name} needs a value."));
            if (!parsed._options.TryGetValue(name, out var list)) parsed._options[name] = list = [];
            list.Add(value);
        }
        return parsed;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public string? Optional(string name) => _options.TryGetValue(name, out var v) ? v[^1] : null;

    public string Required(string name) => Optional(name) ?? throw new CliUsageException($"--{name} is required.");

    public IReadOnlyList<string> All(string name) => _options.TryGetValue(name, out var v) ? v : [];

    /// <summary>The options as ASP.NET Core command-line arguments (for <c>serve</c>: <c>--urls</c> and friends).</summary>
    public string[] PassThrough() => [.. _options.SelectMany(kv => kv.Value.Select(v => $"--{kv.Key}={v}"))];
}
