using Beacon.FunctionsHost.Rpc;
using Grpc.Core;

namespace Beacon.FunctionsHost;

/// <summary>The host's side of <c>FunctionRpc.EventStream</c>: what the worker sends goes to the double, what the double queues goes to the worker.</summary>
internal sealed class FunctionRpcService(FunctionsHostDouble host) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var writer = Task.Run(async () =>
        {
            await foreach (var message in host.ToWorker.ReadAllAsync(ct)) await responseStream.WriteAsync(message, ct);
        }, ct);
        try
        {
            await foreach (var message in requestStream.ReadAllAsync(ct)) host.Receive(message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The worker went away.
        }
        await writer.ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
