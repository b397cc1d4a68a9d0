using Beacon.Settings;
using Microsoft.Extensions.Options;

namespace Beacon.Api.Http;

/// <summary>
/// Every request's storage work ends within <see cref="BeaconOptions.StorageDeadline"/>: the request's
/// cancellation token (which every storage call takes) fires at the deadline, and the request is
/// answered 503. This is what makes "a write lands within the rollup's grace" true: without it, SDK
/// retries in a loop of calls could keep a write in flight for many minutes. The client's own token
/// is put back before errors are handled, so a storage timeout is not mistaken for a client leaving.
/// A read (GET, HEAD) whose answer has started streaming is no longer bound by it: it writes nothing
/// the deadline protects, and cutting a long CSV export mid-stream would only break the download (a
/// 1,000,000-row export takes longer than 30 s). Before its first byte, a read still gets its 503
/// (<see cref="StorageDeadline"/>; answers that read storage while streaming write through a <see cref="FirstWriteGate"/>).
/// The timer is the app's <see cref="TimeProvider"/>'s.
/// </summary>
internal sealed class RequestDeadline(RequestDelegate next, IOptions<BeaconOptions> options, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var client = context.RequestAborted;
        // Disposed with the response, not here: OnStarting below may run after this method returns.
        var deadline = new StorageDeadline(options.Value.StorageDeadline, time, client);
        context.Response.RegisterForDispose(deadline);
        context.Features.Set(deadline);
        context.RequestAborted = deadline.Token;
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.OnStarting(() =>
            {
                // An answer built whole before its first byte is sent even if the deadline passed meanwhile.
                deadline.TryStartStreaming();
                return Task.CompletedTask;
            });
        }
        try
        {
            await next(context);
        }
        finally
        {
            context.RequestAborted = client;
        }
    }
}
