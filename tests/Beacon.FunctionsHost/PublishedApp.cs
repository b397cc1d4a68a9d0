using System.Diagnostics;

namespace Beacon.FunctionsHost;

/// <summary>
/// The apps as they are deployed, each published once per process with the documented command into a
/// temporary folder: the function app (<c>dotnet publish src/Beacon.Functions -c Release -r linux-x64</c>:
/// ReadyToRun, and the zip) and standalone <c>beacon</c> (<c>dotnet publish src/Beacon -c Release -r
/// linux-x64</c>, ReadyToRun). They are published from the repository's own sources, after the test build:
/// the libraries and <c>beacon</c> (RID-agnostic when referenced) are up to date and not compiled again, and
/// their RID-specific outputs go to folders of their own, so nothing the tests run from is rewritten
/// (docs/decisions/0019-test-suite-cost.md: about 30 CPU-seconds less than publishing a copy of the sources).
/// </summary>
public static class PublishedApp
{
    private static readonly Lazy<string> Work = new(() =>
    {
        var work = Directory.CreateTempSubdirectory("beacon-publish-");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { work.Delete(recursive: true); }
            catch (IOException) { /* left for the OS to clean */ }
        };
        return work.FullName;
    });
    private static readonly Lazy<Task<(string Folder, string Zip)>> Worker = new(() => PublishAsync("Beacon.Functions"));
    private static readonly Lazy<Task<(string Folder, string Zip)>> Serve = new(() => PublishAsync("Beacon"));

    /// <summary>The published isolated worker and its deployable zip.</summary>
    public static Task<(string Folder, string Zip)> WorkerAsync() => Worker.Value;

    /// <summary>The published standalone executable (<c>beacon.dll serve</c>).</summary>
    public static async Task<string> ServeAsync() => (await Serve.Value).Folder;

    private static async Task<(string Folder, string Zip)> PublishAsync(string project)
    {
        var folder = Path.Combine(Work.Value, "publish", project);
        var zip = Path.Combine(Work.Value, "publish", project + ".zip");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(Azurite.Azurite.FindRepositoryRoot(), "src", project), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "publish", "-c", "Release", "-r", "linux-x64", "-o", folder, $"-p:FunctionAppZip={zip}", "--nologo" }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet publish {project} failed:\n" + await output + await errors);
        return (folder, zip);
    }
}
