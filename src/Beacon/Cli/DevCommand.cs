using System.Diagnostics;
using Beacon.Hosting;
using Beacon.Storage.Local;

namespace Beacon.Cli;

/// <summary>
/// <c>beacon dev</c>: everything a newcomer needs in one command. Installs the npm packages if needed,
/// starts Azurite with its data in <c>.azurite/</c> on the default ports, serves the API, and prints
/// how to use it.
/// </summary>
internal static class DevCommand
{
    public static async Task<int> RunAsync(CliArgs args, CliOutput output, CancellationToken ct)
    {
        var root = Azurite.FindRepositoryRoot(Directory.GetCurrentDirectory());
        if (!File.Exists(Path.Combine(root, "node_modules", "azurite", "package.json")))
        {
            output.Info("Installing npm packages (Azurite, chart library)…");
            using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = root })
                            ?? throw new InvalidOperationException("Could not run npm.");
            await npm.WaitForExitAsync(ct);
            if (npm.ExitCode != 0) return output.Fail("npm ci failed.");
        }

        output.Info("Starting Azurite (data in .azurite/)…");
        await using var azurite = await Azurite.StartAsync(root, Path.Combine(root, ".azurite"), tablePort: 10002, blobPort: 10000, ct: ct);
        Environment.SetEnvironmentVariable("AzureWebJobsStorage", "UseDevelopmentStorage=true");

        var urls = args.Optional("urls") ?? "http://127.0.0.1:5080";
        var app = BeaconApp.Build([$"--urls={urls}"], HostMode.Standalone);
        await app.StartAsync(ct);
        var baseUrl = urls.Split(';')[0].TrimEnd('/');
        output.Info($"""

            Beacon is running at {baseUrl} (Azurite: UseDevelopmentStorage=true).
            Create a license and an API key from another shell:
              export AzureWebJobsStorage=UseDevelopmentStorage=true
              ORG=$(dotnet run --project src/Beacon -- admin org create --name Acme --json | jq -r .org_id)
              dotnet run --project src/Beacon -- admin license create --org $ORG --plan enterprise
              dotnet run --project src/Beacon -- admin apikey create --org $ORG
            Press Ctrl+C to stop.
            """);
        await app.WaitForShutdownAsync(ct);
        return 0;
    }
}
