using Azure;
using Azure.Identity;

namespace Beacon.Storage.Account;

/// <summary>
/// Which storage failures a retry can fix. Throttling, timeouts, server errors, broken connections and
/// unsettled conflicts pass; a refusal of the request itself (400 PropertyValueTooLarge, 403 on a
/// misconfigured identity, 404 on a missing table) stays whatever the number of retries — calling that
/// "retry later" would make a client retry forever.
/// </summary>
public static class StorageFaults
{
    public static bool IsTransient(Exception e) => e switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 429 or >= 500,
        StorageContentionException or AuthenticationFailedException or HttpRequestException or IOException or TimeoutException => true,
        OperationCanceledException => true,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsTransient),
        _ => false,
    };

    /// <summary>A definite refusal by the storage service that retrying cannot fix.</summary>
    public static bool IsPermanentRefusal(Exception e) => e switch
    {
        RequestFailedException r => !IsTransient(r),
        AggregateException a => a.InnerExceptions.Any(IsPermanentRefusal),
        _ => false,
    };
}
