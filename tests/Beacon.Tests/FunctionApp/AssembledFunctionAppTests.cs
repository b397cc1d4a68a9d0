using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Beacon.Tests.FunctionApp;

/// <summary>
/// Builds the deployable function app with the documented command and drives it exactly as the
/// Functions host would: start app/beacon with FUNCTIONS_CUSTOMHANDLER_PORT, poll until it answers,
/// proxy HTTP requests to it, and POST a timer invocation to /Rollup.
/// </summary>
[Collection(BeaconCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AssembledFunctionAppTests
{
    [Fact]
    public async Task The_assembled_app_has_every_function_and_answers_the_host_like_the_host_expects()
    {
        var work = Directory.CreateTempSubdirectory("beacon-fa-");
        try
        {
            var folder = Path.Combine(work.FullName, "functionapp") + "/";
            var zip = Path.Combine(work.FullName, "beacon-functionapp.zip");
            await PublishAsync(CopySources(work.FullName), folder, zip);

            // The folder: host.json, the function definitions, an executable self-contained handler.
            Assert.True(File.Exists(Path.Combine(folder, "host.json")));
            Assert.Equal(FunctionDefinitionTests.Definitions(FunctionDefinitionTests.FunctionAppSource).Keys.Order(),
                FunctionDefinitionTests.Definitions(folder).Keys.Order());
            var exe = Path.Combine(folder, "app", "beacon");
            Assert.True(File.GetUnixFileMode(exe).HasFlag(UnixFileMode.UserExecute));
            Assert.True(File.Exists(Path.Combine(folder, "app", "libhostfxr.so")), "self-contained: the runtime ships with the app");
            using (var archive = ZipFile.OpenRead(zip))
            {
                var entry = archive.GetEntry("app/beacon")!;
                Assert.True(((entry.ExternalAttributes >> 16) & 0b001_000_000) != 0, "the zip must keep app/beacon executable");
                Assert.NotNull(archive.GetEntry("Rollup/function.json"));
            }

            // Start it as the host does, on its own storage (a timer run rolls up every org it finds).
            await using var azurite = await Azurite.Azurite.StartAsync(AzuriteFixture.RepositoryRoot);
            var storage = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString };
            int port = FreePort();
            var psi = new ProcessStartInfo(exe) { WorkingDirectory = Path.Combine(folder, "app"), RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("serve");
            psi.ArgumentList.Add("--functions-host");
            psi.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            psi.Environment["AzureWebJobsStorage"] = storage["AzureWebJobsStorage"];
            using var process = Process.Start(psi)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
                await WaitUntilAnsweringAsync(http);

                using var invocation = new HttpRequestMessage(HttpMethod.Post, "/Rollup")
                {
                    Content = new StringContent(JsonSerializer.Serialize(new
                    {
                        Data = new { timer = new { Schedule = new { AdjustForDST = true }, ScheduleStatus = new { Last = "2026-11-22T04:30:00+00:00", Next = "2026-11-22T04:45:00+00:00", LastUpdated = "2026-11-22T04:30:00+00:00" }, IsPastDue = false } },
                        Metadata = new { sys = new { MethodName = "Rollup", UtcNow = DateTimeOffset.UtcNow, RandGuid = Guid.NewGuid() } },
                    }), Encoding.UTF8, "application/json"),
                };
                invocation.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
                invocation.Headers.Add("X-Azure-Functions-HostVersion", "4.1040.300.1");
                var response = await http.SendAsync(invocation);
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
                Assert.NotEmpty(body.GetProperty("Logs").EnumerateArray().Select(l => l.GetString()));
                Assert.Equal(JsonValueKind.Null, body.GetProperty("ReturnValue").ValueKind);

                // Proxied HTTP: the same routes as standalone.
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
                var orgId = (await CliAsync(storage, "admin", "org", "create", "--name", "Functions Org")).GetProperty("org_id").GetString()!;
                var license = (await CliAsync(storage, "admin", "license", "create", "--org", orgId, "--plan", "enterprise")).GetProperty("license_key").GetString()!;
                var nine = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
                var submit = await http.PostAsync("/v1/metadata/submit", new StringContent(Payloads.Window(license, null, nine, nine.AddMinutes(5), 2, 3)));
                Assert.Equal(HttpStatusCode.NoContent, submit.StatusCode);
                var rollup = JsonDocument.Parse(await (await http.PostAsync("/Rollup", new StringContent("{}", Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync());
                Assert.Contains(rollup.RootElement.GetProperty("Logs").EnumerateArray(), l => l.GetString()!.Contains(orgId, StringComparison.Ordinal));
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Runs an admin command in-process against the given storage and returns its JSON answer.</summary>
    private static async Task<JsonElement> CliAsync(Dictionary<string, string?> storage, params string[] args)
    {
        using var stdout = new StringWriter();
        Assert.Equal(0, await Beacon.Cli.CliApp.RunAsync([.. args, "--json"], stdout, TextWriter.Null, storage));
        return JsonDocument.Parse(stdout.ToString()).RootElement.Clone();
    }

    /// <summary>Publishes from a copy of the sources so the test never touches the build it is running from.</summary>
    private static string CopySources(string into)
    {
        var root = AzuriteFixture.RepositoryRoot;
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "host.json", ".editorconfig" })
            File.Copy(Path.Combine(root, file), Path.Combine(into, file));
        foreach (var project in new[] { "Beacon", "Beacon.Storage", "Beacon.Domain", "Beacon.Azurite" })
        {
            var source = Path.Combine(root, "src", project);
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(source, file);
                if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal)) continue;
                var target = Path.Combine(into, "src", project, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
        if (Directory.Exists(Path.Combine(root, "node_modules")))
            Directory.CreateSymbolicLink(Path.Combine(into, "node_modules"), Path.Combine(root, "node_modules"));
        File.Copy(Path.Combine(root, "package.json"), Path.Combine(into, "package.json"));
        return Path.Combine(into, "src", "Beacon");
    }

    private static async Task PublishAsync(string project, string folder, string zip)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "publish", "-c", "Release", "-r", "linux-x64", "-p:AssembleFunctionApp=true", $"-p:FunctionAppDir={folder}", $"-p:FunctionAppZip={zip}" })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await output + await errors);
    }

    private static async Task WaitUntilAnsweringAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30); // the host's own start-up budget
        while (true)
        {
            try
            {
                await http.GetAsync("/");
                return; // any HTTP response means the handler is up
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
