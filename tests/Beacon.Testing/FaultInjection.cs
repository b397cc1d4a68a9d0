using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Beacon.Testing;

/// <summary>
/// Sits in front of the real HTTP transport and fails the requests a rule picks: a 503 "Server Busy"
/// (throttling) or a timeout — failures Azurite cannot produce on demand.
/// </summary>
public sealed class FaultInjectingTransport : HttpPipelineTransport
{
    private readonly HttpPipelineTransport _inner = HttpClientTransport.Shared;
    private volatile Func<Request, Fault>? _rule;

    public enum Fault
    {
        None,
        ServerBusy,
        Timeout,
    }

    private int _injected;

    public int Injected => Volatile.Read(ref _injected);

    public void Set(Func<Request, Fault>? rule) => _rule = rule;

    public override Request CreateRequest() => _inner.CreateRequest();

    public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message)
    {
        var fault = _rule?.Invoke(message.Request) ?? Fault.None;
        switch (fault)
        {
            case Fault.ServerBusy:
                Interlocked.Increment(ref _injected);
                message.Response = new FaultResponse(503, "Server Busy", "ServerBusy");
                return;
            case Fault.Timeout:
                Interlocked.Increment(ref _injected);
                throw new TaskCanceledException("Injected storage timeout.");
            default:
                await _inner.ProcessAsync(message);
                return;
        }
    }

    private sealed class FaultResponse(int status, string reason, string code) : Response
    {
        private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase) { ["x-ms-error-code"] = code, ["Retry-After"] = "0" };

        public override int Status => status;
        public override string ReasonPhrase => reason;
        public override Stream? ContentStream { get; set; } = new MemoryStream("{\"odata.error\":{\"code\":\"ServerBusy\"}}"u8.ToArray());
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
