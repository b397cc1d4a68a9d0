using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Beacon.FunctionsHost.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Beacon.FunctionsHost;

/// <summary>
/// A test double of the Azure Functions host, for the isolated worker (SPEC §16). It does what the host
/// does to a dotnet-isolated app, over the host's own gRPC protocol (Protos/FunctionRpc.proto): serves
/// <c>FunctionRpc.EventStream</c> on loopback; starts the published worker the way worker.config.json
/// says (<c>dotnet Beacon.Functions.dll</c> with the host's <c>--functions-uri</c>, worker and request ids,
/// and FUNCTIONS_APPLICATION_DIRECTORY); answers StartStream with WorkerInitRequest and reads the worker's
/// HttpUri capability (the ASP.NET Core integration); asks for the function metadata and loads every
/// function with its bindings; then invokes functions: for HTTP, an InvocationRequest and, at once, the
/// request proxied to the worker's HttpUri with the <c>x-ms-invocation-id</c> header that pairs the two
/// (retrying a refused connection as the host's proxy does);
/// for the timer, an InvocationRequest with a TimerInfo. Every wait has a deadline, so a hang fails a test.
///
/// What it leaves out of the real host: HTTPS and the front end (the request goes straight to the worker,
/// without X-Forwarded-* headers or host keys: every Beacon function is anonymous); host.json's options
/// beyond the route prefix (the worker reads those itself); timer scheduling, singleton locks and
/// past-due detection (a test invokes the timer when it wants); the storage extensions, retries,
/// placeholders and environment reload, worker restarts, warm-up, cancellation messages, shared memory,
/// scale-out over several workers, and Application Insights.
/// </summary>
public sealed class FunctionsHostDouble : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a timer invocation may run before the double calls it hung: the host allows a function its
    /// functionTimeout (30 min by default on Flex Consumption); a rollup of a test account holding
    /// hundreds of orgs takes minutes, so the double allows 10.
    /// </summary>
    private static readonly TimeSpan TimerDeadline = TimeSpan.FromMinutes(10);

    private readonly Channel<StreamingMessage> _toWorker = Channel.CreateUnbounded<StreamingMessage>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new();
    private readonly TaskCompletionSource<string> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(RpcFunctionMetadata Function, TemplateMatcher? Route, string[] Methods)> _functions = [];
    private WebApplication? _server;
    private Process? _worker;
    private HttpClient? _http;

    /// <summary>What the worker logged through the host (RpcLog messages), in order.</summary>
    public ConcurrentQueue<RpcLog> Logs { get; } = new();

    /// <summary>The worker's process output, for a failure message.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    public IReadOnlyList<RpcFunctionMetadata> Functions => [.. _functions.Select(f => f.Function)];

    /// <summary>The worker's own HTTP endpoint (its HttpUri capability), where HTTP invocations are proxied.</summary>
    public Uri WorkerHttp { get; private set; } = null!;

    /// <summary>How long the worker took from process start to having loaded every function.</summary>
    public TimeSpan StartedIn { get; private set; }

    /// <summary>Starts the worker published in <paramref name="appDirectory"/> with <paramref name="settings"/> as app settings, up to ready for invocations.</summary>
    /// <remarks>
    /// The worker's ASP.NET Core integration picks its HTTP port by looking for a free one and binds it later, so
    /// another process can take it in between and the worker exits ("address already in use"). The real host
    /// restarts a worker that dies while starting; the double starts it once more in that case only.
    /// </remarks>
    public static async Task<FunctionsHostDouble> StartAsync(string appDirectory, IReadOnlyDictionary<string, string> settings)
    {
        for (int attempt = 0; ; attempt++)
        {
            var host = new FunctionsHostDouble();
            try
            {
                await host.StartWorkerAsync(appDirectory, settings);
                return host;
            }
            catch when (attempt == 0 && host.Output.Any(l => l.Contains("Address already in use", StringComparison.Ordinal)))
            {
                await host.DisposeAsync();
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }
        }
    }

    private async Task StartWorkerAsync(string appDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = null);
        builder.Services.AddSingleton(this);
        _server = builder.Build();
        _server.MapGrpcService<FunctionRpcService>();
        await _server.StartAsync();
        var hostUri = new Uri(_server.Urls.First());

        // The worker's command line, the way the host builds it from worker.config.json.
        var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(appDirectory, "worker.config.json"))).RootElement.GetProperty("description");
        var workerId = Guid.NewGuid().ToString();
        var requestId = Guid.NewGuid().ToString();
        var psi = new ProcessStartInfo(config.GetProperty("defaultExecutablePath").GetString()!)
        {
            WorkingDirectory = appDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(appDirectory, config.GetProperty("defaultWorkerPath").GetString()!));
        foreach (var (name, value) in new[]
                 {
                     ("--host", hostUri.Host), ("--port", hostUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("--workerId", workerId),
                     ("--requestId", requestId), ("--grpcMaxMessageLength", "2147483647"), ("--functions-uri", hostUri.ToString()),
                     ("--functions-worker-id", workerId), ("--functions-request-id", requestId), ("--functions-grpc-max-message-length", "2147483647"),
                 })
        {
            psi.ArgumentList.Add(name);
            psi.ArgumentList.Add(value);
        }
        psi.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        psi.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        psi.Environment["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory;
        foreach (var (key, value) in settings) psi.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var clock = Stopwatch.StartNew();
        _worker = Process.Start(psi)!;
        _worker.OutputDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
        _worker.ErrorDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue("stderr: " + e.Data); };
        _worker.BeginOutputReadLine();
        _worker.BeginErrorReadLine();

        var connected = await Within(_started.Task, "the worker to open the event stream");
        if (connected != workerId) throw new InvalidOperationException($"StartStream named worker {connected}, not {workerId}.");

        var init = (await RequestAsync(new StreamingMessage
        {
            WorkerInitRequest = new WorkerInitRequest { HostVersion = "4.1045.0-double", WorkerDirectory = appDirectory, FunctionAppDirectory = appDirectory },
        }, "the worker's init response")).WorkerInitResponse;
        EnsureSuccess(init.Result, "worker init");
        WorkerHttp = new Uri(init.Capabilities.TryGetValue("HttpUri", out var httpUri) ? httpUri
            : throw new InvalidOperationException("The worker did not announce HttpUri: it is not using the ASP.NET Core integration."));
        _http = new HttpClient(new ConnectRetryHandler(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })) { BaseAddress = WorkerHttp, Timeout = Deadline };

        var metadata = (await RequestAsync(new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = appDirectory } },
            "the function metadata")).FunctionMetadataResponse;
        EnsureSuccess(metadata.Result, "function metadata");
        foreach (var function in metadata.FunctionMetadataResults)
        {
            if (string.IsNullOrEmpty(function.FunctionId)) function.FunctionId = Guid.NewGuid().ToString();
            // The host turns the raw bindings into the binding map the worker loads a function with.
            string? route = null;
            string[] methods = [];
            foreach (var raw in function.RawBindings)
            {
                var b = JsonDocument.Parse(raw).RootElement;
                var direction = b.GetProperty("direction").GetString()!.Equals("out", StringComparison.OrdinalIgnoreCase) ? BindingInfo.Types.Direction.Out : BindingInfo.Types.Direction.In;
                function.Bindings[b.GetProperty("name").GetString()!] = new BindingInfo { Type = b.GetProperty("type").GetString()!, Direction = direction };
                if (b.GetProperty("type").GetString() == "httpTrigger")
                {
                    route = b.TryGetProperty("route", out var r) ? r.GetString() : function.Name;
                    methods = b.TryGetProperty("methods", out var m) ? [.. m.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant())] : ["GET", "POST"];
                }
            }
            var loaded = (await RequestAsync(new StreamingMessage { FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function } },
                $"loading {function.Name}")).FunctionLoadResponse;
            EnsureSuccess(loaded.Result, "loading " + function.Name);
            _functions.Add((function, route is null ? null : new TemplateMatcher(TemplateParser.Parse(route), new RouteValueDictionary()), methods));
        }
        StartedIn = clock.Elapsed;
    }

    /// <summary>
    /// Routes <paramref name="request"/> to its function as the host would and invokes it: the invocation
    /// over gRPC and the request over HTTP to the worker. Returns both answers.
    /// </summary>
    public async Task<(HttpResponseMessage Response, InvocationResponse Invocation)> SendAsync(HttpRequestMessage request)
    {
        var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : request.RequestUri.OriginalString.Split('?')[0];
        var function = _functions.FirstOrDefault(f => f.Route is not null && f.Methods.Contains(request.Method.Method) && f.Route.TryMatch(path, new RouteValueDictionary())).Function
                       ?? throw new InvalidOperationException($"No function for {request.Method} {path}.");
        var invocationId = Guid.NewGuid().ToString();
        var invocation = Invoke(invocationId, function.FunctionId, new ParameterBinding
        {
            Name = function.Bindings.First(b => b.Value.Type == "httpTrigger").Key,
            Data = new TypedData { Http = new RpcHttp { Method = request.Method.Method, Url = new Uri(WorkerHttp, request.RequestUri).ToString() } },
        });
        request.Headers.Add("x-ms-invocation-id", invocationId);
        var response = await Within(_http!.SendAsync(request), $"the HTTP answer of {function.Name}");
        return (response, await invocation);
    }

    /// <summary>Invokes a timer function as its schedule would.</summary>
    public Task<InvocationResponse> InvokeTimerAsync(string name)
    {
        var function = _functions.Single(f => f.Function.Name == name).Function;
        return Invoke(Guid.NewGuid().ToString(), function.FunctionId, new ParameterBinding
        {
            Name = function.Bindings.First(b => b.Value.Type == "timerTrigger").Key,
            Data = new TypedData { Json = """{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}""" },
        }, TimerDeadline);
    }

    private async Task<InvocationResponse> Invoke(string invocationId, string functionId, ParameterBinding input, TimeSpan? deadline = null)
    {
        var done = _pending.GetOrAdd("invocation:" + invocationId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        var request = new InvocationRequest
        {
            InvocationId = invocationId, FunctionId = functionId,
            TraceContext = new RpcTraceContext { TraceParent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01" },
        };
        request.InputData.Add(input);
        await _toWorker.Writer.WriteAsync(new StreamingMessage { RequestId = Guid.NewGuid().ToString(), InvocationRequest = request });
        return (await Within(done.Task, $"invocation {invocationId}", deadline)).InvocationResponse;
    }

    private async Task<StreamingMessage> RequestAsync(StreamingMessage message, string what)
    {
        message.RequestId = Guid.NewGuid().ToString();
        var answer = _pending.GetOrAdd("request:" + message.RequestId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
        await _toWorker.Writer.WriteAsync(message);
        return await Within(answer.Task, what);
    }

    private async Task<T> Within<T>(Task<T> task, string what, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Deadline;
        var exited = _worker is null ? Task.Delay(Timeout.Infinite) : _worker.WaitForExitAsync();
        var first = await Task.WhenAny(task, Task.Delay(limit), exited);
        if (first == task) return await task;
        throw new TimeoutException($"Waited for {what}: " + (first == exited ? $"the worker exited ({_worker!.ExitCode})" : $"no answer in {limit.TotalSeconds:0} s")
                                   + "\n" + string.Join('\n', Output.TakeLast(40)));
    }

    private static void EnsureSuccess(StatusResult result, string what)
    {
        if (result.Status != StatusResult.Types.Status.Success) throw new InvalidOperationException($"{what} failed: {result.Exception?.Message}");
    }

    // ---- the event stream, driven by FunctionRpcService --------------------------------------------

    internal ChannelReader<StreamingMessage> ToWorker => _toWorker.Reader;

    internal void Receive(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.StartStream:
                _started.TrySetResult(message.StartStream.WorkerId);
                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                Logs.Enqueue(message.RpcLog);
                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                _pending.GetOrAdd("invocation:" + message.InvocationResponse.InvocationId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(message);
                break;
            default:
                if (_pending.TryGetValue("request:" + message.RequestId, out var waiting)) waiting.TrySetResult(message);
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is { HasExited: false })
        {
            _toWorker.Writer.TryWrite(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) } });
            if (!_worker.WaitForExit(TimeSpan.FromSeconds(10))) _worker.Kill(entireProcessTree: true);
        }
        _worker?.Dispose();
        _toWorker.Writer.TryComplete();
        _http?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }
}
