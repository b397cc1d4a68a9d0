using Azure;
using Azure.Core;

namespace Beacon.Storage.Client;

/// <summary>Turns a storage response into the one exception type the rest of the code handles.</summary>
internal static class StorageErrors
{
    public static RequestFailedException From(Response response)
    {
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        string detail = "";
        try
        {
            if (response.ContentStream is { CanSeek: true } s) s.Position = 0;
            detail = response.Content.ToString();
            if (detail.Length > 500) detail = detail[..500];
        }
        catch (InvalidOperationException)
        {
            // Unbuffered response: no body to show.
        }
        return new RequestFailedException(response.Status, $"Storage request failed: {response.Status} {response.ReasonPhrase} {code} {detail}".Trim(), code, null);
    }

    public static bool IsTransient(this RequestFailedException e) => e.Status is 0 or 408 or 429 or 500 or 502 or 503 or 504;
}
