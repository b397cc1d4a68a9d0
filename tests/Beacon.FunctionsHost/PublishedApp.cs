using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.PortableExecutable;

namespace Beacon.FunctionsHost;

/// <summary>
/// The apps as they are deployed, for the benchmark, each published once per process with the documented command into a
/// temporary folder: the function app (<c>dotnet publish src/Beacon.Functions -c Release -r linux-x64</c>:
/// ReadyToRun, and the zip) and standalone <c>beacon</c> (<c>dotnet publish src/Beacon -c Release -r
/// linux-x64</c>, Native AOT). They are published from the repository's own sources, after the build:
/// the libraries and <c>beacon</c> (RID-agnostic when referenced) are up to date and not compiled again, and
/// their RID-specific outputs go to folders of their own, so nothing the tests run from is rewritten. The tests
/// publish nothing (docs/decisions/0019-test-suite-cost.md); they run the worker's build output (<see cref="BuiltApp"/>).
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

    /// <summary>The published isolated worker and its deployable zip, checked (<see cref="CheckWorkerPackage"/>).</summary>
    public static async Task<(string Folder, string Zip)> WorkerAsync()
    {
        var (folder, zip) = await Worker.Value;
        CheckWorkerPackage(folder, zip);
        return (folder, zip);
    }

    /// <summary>
    /// Throws unless the publish is the deployable package: ReadyToRun code for Beacon's assemblies, and a zip
    /// with host.json, the SDK's metadata, the worker and the dashboard at its root. (The tests run the build
    /// output and check the publish settings only; the bench publishes, so it checks what it measures.)
    /// </summary>
    public static void CheckWorkerPackage(string folder, string zip)
    {
        foreach (var assembly in new[] { "Beacon.Functions.dll", "beacon.dll", "Beacon.Storage.dll", "Beacon.Domain.dll" })
        {
            using var pe = new PEReader(File.OpenRead(Path.Combine(folder, assembly)));
            if (pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size is not > 0) throw new InvalidOperationException($"{assembly} is not ReadyToRun in {folder}.");
        }
        using var archive = ZipFile.OpenRead(zip);
        foreach (var entry in new[] { "host.json", "functions.metadata", "worker.config.json", "Beacon.Functions.dll", "wwwroot/dashboard/index.html" })
            if (archive.GetEntry(entry) is null) throw new InvalidOperationException($"{zip} has no {entry}.");
        if (!archive.Entries.Any(e => e.FullName.StartsWith(".azurefunctions/", StringComparison.Ordinal))) throw new InvalidOperationException($"{zip} has no .azurefunctions/ folder.");
    }

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
