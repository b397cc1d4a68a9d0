using System.IO.Compression;
using Beacon.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Telemetry;

/// <summary>
/// Reads an OTLP/HTTP request body (SPEC §4.7): <c>application/x-protobuf</c> or <c>application/json</c>,
/// optionally <c>Content-Encoding: gzip</c>; more than 4 MiB on the wire or 16 MiB decompressed is 413,
/// found while reading, so a gzip bomb is stopped after 16 MiB and nothing of it is stored.
/// </summary>
internal static class OtlpBody
{
    public const int MaxWireBytes = 4 * 1024 * 1024;
    public const int MaxDecodedBytes = 16 * 1024 * 1024;

    /// <summary>Raises Kestrel's per-request limit (1 MiB for every other route) for an OTLP body, before it is read.</summary>
    public static void AllowWireLimit(HttpContext http) => BoundedBody.Allow(http, MaxWireBytes);

    public static async Task<RequestRead<OtlpPayload>> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var mediaType = (request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        OtlpEncoding encoding;
        if (mediaType == "application/x-protobuf") encoding = OtlpEncoding.Protobuf;
        else if (mediaType == "application/json") encoding = OtlpEncoding.Json;
        else return Problems.UnsupportedMediaType("OTLP/HTTP bodies are application/x-protobuf or application/json.");

        if (request.ContentLength > MaxWireBytes) return Problems.PayloadTooLarge(MaxWireBytes);
        var wire = await BoundedBody.ReadAsync(request.Body, MaxWireBytes, ct);
        if (wire is null) return Problems.PayloadTooLarge(MaxWireBytes);

        var contentEncoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        if (contentEncoding is "" or "identity") return new OtlpPayload(wire, encoding);
        if (contentEncoding != "gzip") return Problems.UnsupportedMediaType("Only Content-Encoding: gzip is accepted.");
        try
        {
            await using var gzip = new GZipStream(new MemoryStream(wire), CompressionMode.Decompress);
            var decoded = await BoundedBody.ReadAsync(gzip, MaxDecodedBytes, ct);
            return decoded is null ? Problems.PayloadTooLarge(MaxDecodedBytes, "decompressed") : new OtlpPayload(decoded, encoding);
        }
        catch (InvalidDataException)
        {
            return Problems.InvalidBody("The gzip stream could not be decompressed.");
        }
    }
}
