using System.Reflection;

namespace Beacon.FunctionsHost;

/// <summary>
/// The function app's build output (<c>src/Beacon.Functions/bin/{configuration}/net10.0</c>): what Core Tools'
/// <c>func start</c> runs, with the SDK's <c>functions.metadata</c>, <c>worker.config.json</c> and extensions.
/// The solution build makes it before the tests run (Beacon.Tests references the worker project without its
/// assembly), so the worker tests start it as it is instead of publishing it again (docs/decisions/0019-test-suite-cost.md).
/// </summary>
public static class BuiltApp
{
    /// <summary>The worker's build folder, in the configuration that <paramref name="caller"/> (a test assembly) was built in.</summary>
    public static string WorkerFolder(Assembly caller)
    {
        var configuration = caller.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var folder = Path.Combine(Azurite.Azurite.FindRepositoryRoot(), "src", "Beacon.Functions", "bin", configuration, "net10.0");
        if (!File.Exists(Path.Combine(folder, "functions.metadata")))
            throw new InvalidOperationException($"The function app is not built in {folder}: dotnet build BeaconFunctions.sln -c {configuration}");
        return folder;
    }
}
