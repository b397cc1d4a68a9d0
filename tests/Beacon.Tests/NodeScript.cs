using System.Diagnostics;
using System.Text.Json;

namespace Beacon.Tests;

/// <summary>Runs one of the repository's Node scripts (docs/examples/) the way a customer would: its JSON output, or null and its error output.</summary>
internal static class NodeScript
{
    public static async Task<(JsonElement? Output, string Error)> RunAsync(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("node") { WorkingDirectory = Testing.AzuriteFixture.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var node = Process.Start(psi)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        return node.ExitCode == 0 ? (JsonDocument.Parse(await output).RootElement.Clone(), "") : (null, await error);
    }
}
