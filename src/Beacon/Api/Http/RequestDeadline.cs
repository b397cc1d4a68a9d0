using Beacon.Hosting;
using Microsoft.Extensions.Options;

namespace Beacon.Api.Http;

/// <summary>
/// Every request's storage work ends within <see cref="BeaconOptions.StorageDeadline"/>: the request's
/// cancellation token (which every storage call takes) fires at the deadline, and the request is
/// answered 503. This is what makes "a write lands within the rollup's grace" true: without it, SDK
/// retries in a loop of calls could keep a write in flight for many minutes. The client's own token
/// is put back before errors are handled, so a storage timeout is not mistaken for a client leaving.
/// </summary>
internal sealed class RequestDeadline(RequestDelegate next, IOptions<BeaconOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var client = context.RequestAborted;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(client);
        deadline.CancelAfter(options.Value.StorageDeadline);
        context.RequestAborted = deadline.Token;
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
