using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Beacon.Azurite;

/// <summary>
/// Runs Azurite (the npm package pinned in the repository's package.json) as a child process on
/// loopback. Port 0 lets Azurite pick free ports, which it reports on stdout. Tests use in-memory
/// persistence; the dev command keeps data in a folder. Stop it with <see cref="DisposeAsync"/>.
/// </summary>
public sealed partial class Azurite : IAsyncDisposable
{
    private readonly Process _process;

    /// <summary>Azurite's published, well-known development account key (not a secret).</summary>
    public const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private Azurite(Process process, int tablePort, int blobPort)
    {
        _process = process;
        TablePort = tablePort;
        BlobPort = blobPort;
    }

    public int TablePort { get; }
    public int BlobPort { get; }

    /// <summary>A connection string for this instance (path-style endpoints, the development account).</summary>
    public string ConnectionString => ConnectionStringFor(TablePort, BlobPort);

    public static string ConnectionStringFor(int tablePort, int blobPort, string host = "127.0.0.1") =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentKey};" +
        $"TableEndpoint=http://{host}:{tablePort}/devstoreaccount1;BlobEndpoint=http://{host}:{blobPort}/devstoreaccount1;";

    [GeneratedRegex(@"Azurite (Blob|Table) service is successfully listening at http://[^:]+:(\d+)")]
    private static partial Regex Listening();

    /// <param name="repositoryRoot">The folder holding package.json and node_modules/azurite.</param>
    /// <param name="location">A folder for persistent data; null keeps everything in memory.</param>
    /// <param name="maxHeapMegabytes">Node's heap limit; in-memory Azurite holding millions of entities needs more than the default.</param>
    public static async Task<Azurite> StartAsync(string repositoryRoot, string? location = null, int tablePort = 0, int blobPort = 0,
        int? maxHeapMegabytes = null, CancellationToken ct = default)
    {
        var script = Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"Azurite is not installed at {script}. Run `npm ci` in {repositoryRoot}.");

        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repositoryRoot,
        };
        foreach (var a in new[]
                 {
                     script, "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", blobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tablePort", tablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queuePort", "0", "--skipApiVersionCheck", "--loose", "--silent",
                     // Azurite reports every request to Application Insights unless told not to: about a twelfth
                     // of its CPU in the test suite, and nothing a local run should send anywhere.
                     "--disableTelemetry",
                 })
            psi.ArgumentList.Add(a);
        if (maxHeapMegabytes is { } heap) psi.Environment["NODE_OPTIONS"] = $"--max-old-space-size={heap}";
        if (location is null) psi.ArgumentList.Add("--inMemoryPersistence");
        else
        {
            Directory.CreateDirectory(location);
            psi.ArgumentList.Add("--location");
            psi.ArgumentList.Add(location);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start node.");
        int? table = null, blob = null;
        var output = new System.Text.StringBuilder();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (table is null || blob is null)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                           ?? throw new InvalidOperationException("Azurite exited: " + output + await process.StandardError.ReadToEndAsync(ct));
                output.AppendLine(line);
                var m = Listening().Match(line);
                if (!m.Success) continue;
                int port = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (m.Groups[1].Value == "Table") table = port; else blob = port;
            }
        }
        catch
        {
            KillQuietly(process);
            throw;
        }
        // Keep draining the pipes so Azurite never blocks on a full stdout.
        _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        return new Azurite(process, table.Value, blob!.Value);
    }

    /// <summary>Finds the repository root (the folder with package.json) above <paramref name="start"/>.</summary>
    public static string FindRepositoryRoot(string? start = null)
    {
        var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "host.json")))
                return dir.FullName;
            dir = dir.Parent;
        }
        throw new InvalidOperationException("Could not find the repository root (package.json + host.json) above " + (start ?? AppContext.BaseDirectory));
    }

    public async ValueTask DisposeAsync()
    {
        if (_process.HasExited) return;
        // Azurite ignores SIGTERM (AZURE.md) but closes its services on SIGINT, as after Ctrl+C, in about a tenth of a
        // second; a SIGTERM cost every stop the full wait below (3 s at the end of each test collection). Then insist.
        try
        {
            using var interrupt = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            KillQuietly(_process);
        }
        _process.Dispose();
    }

    private static void KillQuietly(Process p)
    {
        try
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
