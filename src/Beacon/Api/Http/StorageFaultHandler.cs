using System.Globalization;
using Azure;
using Beacon.Storage.Account;
using Microsoft.AspNetCore.Diagnostics;

namespace Beacon.Api.Http;

/// <summary>
/// The one place storage failures become HTTP. Faults a retry can fix — throttling, timeouts (including
/// the request's own storage deadline), an unreachable account, an unsettled conflict — are 503 with
/// Retry-After, never a success for data that was not written. A refusal no retry can fix is a 500
/// that says so. (An answer that has started streaming cannot be changed: the CSV export aborts its
/// connection itself.)
/// </summary>
internal sealed class StorageFaultHandler(ILogger<StorageFaultHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (context.RequestAborted.IsCancellationRequested) return false; // the client left: nobody to answer
        bool permanent = StorageFaults.IsPermanentRefusal(exception);
        if (!permanent && !StorageFaults.IsTransient(exception)) return false;
        var failed = exception as RequestFailedException ?? (exception as AggregateException)?.InnerExceptions.OfType<RequestFailedException>().FirstOrDefault();
        // Status and error code only: messages can echo request details.
        logger.LogError("Storage {Kind} on {Method} {Path}: {Type} {Status} {Code}", permanent ? "refusal" : "fault", context.Request.Method,
            context.Request.Path, exception.GetType().Name, failed?.Status, failed?.ErrorCode);
        if (permanent)
        {
            await Problems.StorageRefused(failed!.Status, failed.ErrorCode).ExecuteAsync(context);
            return true;
        }
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await Problems.StorageUnavailable().ExecuteAsync(context);
        return true;
    }
}
