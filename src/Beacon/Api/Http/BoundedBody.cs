using Microsoft.AspNetCore.Http.Features;

namespace Beacon.Api.Http;

/// <summary>
/// Request bodies larger than Kestrel's default limit for Beacon (1 MiB): the few routes that take one raise
/// the limit for their request before reading it, and read it with a hard bound, so an oversized body is
/// refused as soon as it passes the bound.
/// </summary>
internal static class BoundedBody
{
    /// <summary>Raises Kestrel's per-request limit to <paramref name="maxBytes"/> + 1 for this request (before its body is read).</summary>
    public static void Allow(HttpContext http, int maxBytes)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBytes + 1L;
    }

    /// <summary>All of <paramref name="source"/>, or null as soon as it exceeds <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(Stream source, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            for (int n; (n = await source.ReadAsync(chunk, ct)) > 0;)
            {
                if (buffer.Length + n > limit) return null;
                buffer.Write(chunk, 0, n);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.ToArray();
    }
}
