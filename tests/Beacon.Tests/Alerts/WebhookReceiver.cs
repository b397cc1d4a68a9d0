using System.Diagnostics;
using System.Text.Json;

namespace Beacon.Tests.Alerts;

/// <summary>
/// The Node receiver (webhook-receiver.mjs) as a test sees it: its URLs, the secrets it verifies with, the
/// offset of the test clock, and every request it got (verified or not), in order.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly Process _node;
    private readonly List<JsonElement> _requests = [];
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _acks = new(0);

    private WebhookReceiver(Process node)
    {
        _node = node;
        _ = Task.Run(async () =>
        {
            while (await node.StandardOutput.ReadLineAsync() is { } line)
            {
                var json = JsonDocument.Parse(line).RootElement.Clone();
                if (json.TryGetProperty("port", out var port)) _port.TrySetResult(port.GetInt32());
                else if (json.TryGetProperty("ack", out _)) _acks.Release();
                else lock (_requests) _requests.Add(json);
            }
        });
    }

    public int Port { get; private set; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var psi = new ProcessStartInfo("node") { WorkingDirectory = Testing.AzuriteFixture.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardInput = true };
        psi.ArgumentList.Add("tests/Beacon.Tests/Alerts/webhook-receiver.mjs");
        var receiver = new WebhookReceiver(Process.Start(psi)!);
        receiver.Port = await receiver._port.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return receiver;
    }

    public string Url(string name, string rest = "") => $"http://127.0.0.1:{Port}/hook/{name}{rest}";

    public async Task TellAsync(string line)
    {
        await _node.StandardInput.WriteLineAsync(line);
        await _node.StandardInput.FlushAsync();
        await _acks.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public Task SecretAsync(string name, string secret) => TellAsync($"secret {name} {secret}");

    public Task ClockAsync(DateTimeOffset testNow) => TellAsync($"clock {(long)(testNow - DateTimeOffset.UtcNow).TotalSeconds}");

    /// <summary>Every request whose path starts with <paramref name="prefix"/>, in arrival order.</summary>
    public List<JsonElement> Requests(string prefix)
    {
        lock (_requests) return [.. _requests.Where(r => r.GetProperty("path").GetString()!.StartsWith(prefix, StringComparison.Ordinal))];
    }

    public async ValueTask DisposeAsync()
    {
        try { _node.Kill(); } catch (InvalidOperationException) { }
        await _node.WaitForExitAsync();
        _node.Dispose();
    }
}
