using System.Globalization;
using Azure;
using Azure.Identity;
using Beacon.Storage.Stores;
using Microsoft.AspNetCore.Diagnostics;

namespace Beacon.Api.Http;

/// <summary>
/// The one place storage failures become HTTP: throttling, timeouts, an unreachable account, an
/// unsettled conflict — all 503 with Retry-After, never a success for data that was not written.
/// </summary>
internal sealed class StorageFaultHandler(ILogger<StorageFaultHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (!IsStorageFault(exception, context)) return false;
        // Status and error code only: messages can echo request details.
        logger.LogError("Storage fault on {Method} {Path}: {Type} {Status} {Code}", context.Request.Method, context.Request.Path,
            exception.GetType().Name, (exception as RequestFailedException)?.Status, (exception as RequestFailedException)?.ErrorCode);
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await Problems.StorageUnavailable().ExecuteAsync(context);
        return true;
    }

    public static bool IsStorageFault(Exception e, HttpContext context) => e switch
    {
        RequestFailedException or StorageContentionException or AuthenticationFailedException or HttpRequestException or IOException => true,
        // A cancellation the client did not ask for is a storage timeout.
        OperationCanceledException => !context.RequestAborted.IsCancellationRequested,
        AggregateException a => a.InnerExceptions.All(i => IsStorageFault(i, context)),
        _ => false,
    };
}
