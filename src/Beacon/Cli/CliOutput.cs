using System.Text.Json.Nodes;

namespace Beacon.Cli;

/// <summary>
/// With <c>--json</c> a command prints exactly one JSON object on stdout and nothing else there
/// (scripts rely on the field names in SPEC §8); without it, readable lines.
/// </summary>
internal sealed class CliOutput(TextWriter stdout, TextWriter stderr, bool json)
{
    public TextWriter Error => stderr;

    public void Result(JsonObject value, string human)
    {
        if (json) stdout.WriteLine(value.ToJsonString());
        else stdout.WriteLine(human);
    }

    /// <summary>A list: one JSON object with <c>--json</c>, else one readable line per item (or <paramref name="empty"/>).</summary>
    public void Listing(JsonObject value, IReadOnlyList<string> lines, string empty)
    {
        if (json) stdout.WriteLine(value.ToJsonString());
        else stdout.WriteLine(lines.Count == 0 ? empty : string.Join('\n', lines));
    }

    public void Info(string line)
    {
        // Progress goes to stderr so stdout stays clean for --json.
        stderr.WriteLine(line);
    }

    public int Fail(string message, int code = 1)
    {
        stderr.WriteLine("error: " + message);
        if (json) stdout.WriteLine(new JsonObject { ["error"] = message }.ToJsonString());
        return code;
    }
}
