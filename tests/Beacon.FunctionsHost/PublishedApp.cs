using System.Diagnostics;

namespace Beacon.FunctionsHost;

/// <summary>
/// The apps as they are deployed, each built once per process with the documented command, from a copy of
/// the sources so a test never rewrites the assemblies it is running from: the function app
/// (<c>dotnet publish src/Beacon.Functions -c Release -r linux-x64</c>: ReadyToRun, and the zip) and
/// standalone <c>beacon</c> (<c>dotnet publish src/Beacon -c Release -r linux-x64</c>, ReadyToRun).
/// </summary>
public static class PublishedApp
{
    private static readonly Lazy<Task<string>> Sources = new(CopySourcesAsync);
    private static readonly Lazy<Task<(string Folder, string Zip)>> Worker = new(() => PublishAsync("Beacon.Functions"));
    private static readonly Lazy<Task<(string Folder, string Zip)>> Serve = new(() => PublishAsync("Beacon"));

    /// <summary>The published isolated worker and its deployable zip.</summary>
    public static Task<(string Folder, string Zip)> WorkerAsync() => Worker.Value;

    /// <summary>The published standalone executable (<c>beacon.dll serve</c>).</summary>
    public static async Task<string> ServeAsync() => (await Serve.Value).Folder;

    private static Task<string> CopySourcesAsync()
    {
        var work = Directory.CreateTempSubdirectory("beacon-publish-");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { work.Delete(recursive: true); }
            catch (IOException) { /* left for the OS to clean */ }
        };
        var root = Azurite.Azurite.FindRepositoryRoot();
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "host.json", ".editorconfig", "package.json" })
            File.Copy(Path.Combine(root, file), Path.Combine(work.FullName, file));
        foreach (var project in new[] { "Beacon.Functions", "Beacon", "Beacon.Storage", "Beacon.Domain", "Beacon.Azurite" })
        {
            var source = Path.Combine(root, "src", project);
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(source, file);
                if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal)) continue;
                var target = Path.Combine(work.FullName, "src", project, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
        Directory.CreateSymbolicLink(Path.Combine(work.FullName, "node_modules"), Path.Combine(root, "node_modules"));
        return Task.FromResult(work.FullName);
    }

    private static async Task<(string Folder, string Zip)> PublishAsync(string project)
    {
        var work = await Sources.Value;
        var folder = Path.Combine(work, "publish", project);
        var zip = Path.Combine(work, "publish", project + ".zip");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(work, "src", project), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "publish", "-c", "Release", "-r", "linux-x64", "-o", folder, $"-p:FunctionAppZip={zip}", "--nologo" }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet publish {project} failed:\n" + await output + await errors);
        return (folder, zip);
    }
}
