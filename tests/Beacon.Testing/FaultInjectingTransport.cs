using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Beacon.Testing;

/// <summary>
/// Sits in front of the real HTTP transport (the storage SDKs' transport option) and fails the
/// requests a rule picks, with failures Azurite cannot produce on demand: a 503 "Server Busy"
/// (throttling), a timeout before the request is sent, or <see cref="Fault.CommitUnknown"/>: the
/// request reaches Azurite and commits, then its answer is lost, so the SDK retries something that
/// already happened.
/// </summary>
public sealed class FaultInjectingTransport : HttpPipelineTransport
{
    private readonly HttpPipelineTransport _inner = HttpClientTransport.Shared;
    private volatile Func<Request, Fault>? _rule;
    private int _injected;

    public enum Fault
    {
        None,
        ServerBusy,
        Timeout,
        CommitUnknown,

        /// <summary>A refusal no retry can fix: 400 PropertyValueTooLarge, as Table Storage answers an oversized property.</summary>
        Refused,

        /// <summary>The service answers, but only after <see cref="SlowFor"/> (the caller's cancellation still applies).</summary>
        Slow,
    }

    public int Injected => Volatile.Read(ref _injected);

    /// <summary>How long a <see cref="Fault.Slow"/> answer takes: 2 s unless a test needs it longer than its deadline by more.</summary>
    public TimeSpan SlowFor { get; set; } = TimeSpan.FromSeconds(2);

    public void Set(Func<Request, Fault>? rule) => _rule = rule;

    public override Request CreateRequest() => _inner.CreateRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message)
    {
        var fault = _rule?.Invoke(message.Request) ?? Fault.None;
        if (fault != Fault.None) Interlocked.Increment(ref _injected);
        switch (fault)
        {
            case Fault.ServerBusy:
                message.Response = new FaultResponse(503, "Server Busy", "ServerBusy");
                return;
            case Fault.Refused:
                message.Response = new FaultResponse(400, "Bad Request", "PropertyValueTooLarge");
                return;
            case Fault.Slow:
                // A storage answer slower than the tests' short storage deadlines, not a clock.
                await Task.Delay(SlowFor, message.CancellationToken);
                await _inner.ProcessAsync(message);
                return;
            case Fault.Timeout:
                throw new TaskCanceledException("Injected storage timeout.");
            case Fault.CommitUnknown:
                await _inner.ProcessAsync(message);
                message.Response.Dispose();
                throw new IOException("Injected: the connection broke after the request was processed; its answer is lost.");
            default:
                await _inner.ProcessAsync(message);
                return;
        }
    }

    /// <summary>The text of a request body (e.g. to pick the table a batch writes to).</summary>
    public static string BodyOf(Request request)
    {
        if (request.Content is null) return "";
        using var buffer = new MemoryStream();
        request.Content.WriteTo(buffer, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed class FaultResponse(int status, string reason, string code) : Response
    {
        private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase) { ["x-ms-error-code"] = code, ["Retry-After"] = "0" };

        public override int Status => status;
        public override string ReasonPhrase => reason;
        public override Stream? ContentStream { get; set; } = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"odata.error\":{\"code\":\"" + code + "\",\"message\":{\"value\":\"Injected.\"}}}"));
        public override string ClientRequestId { get; set; } = "";
        public override void Dispose() => ContentStream?.Dispose();
        protected override bool ContainsHeader(string name) => _headers.ContainsKey(name);
        protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers.Select(h => new HttpHeader(h.Key, h.Value));
        protected override bool TryGetHeader(string name, out string value) => _headers.TryGetValue(name, out value!);
        protected override bool TryGetHeaderValues(string name, out IEnumerable<string> values)
        {
            var ok = _headers.TryGetValue(name, out var v);
            values = ok ? [v!] : [];
            return ok;
        }
    }
}
