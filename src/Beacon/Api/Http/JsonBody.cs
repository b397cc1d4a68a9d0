using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Http;

/// <summary>
/// Reads a JSON request body with a hard size limit, before any parsing: a declared length over the
/// limit is refused at once, and a streamed body is cut off at limit + 1 bytes.
/// </summary>
internal static class JsonBody
{
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return (null, Problems.PayloadTooLarge(maxBytes));
        // A declared length sizes the buffer exactly; a chunked body starts small and grows.
        var buffer = new byte[request.ContentLength is { } declared ? (int)declared + 1 : Math.Min(16 * 1024, maxBytes + 1)];
        int filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length > maxBytes) return (null, Problems.PayloadTooLarge(maxBytes));
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxBytes + 1));
                }
                int n = await request.Body.ReadAsync(buffer.AsMemory(filled), ct);
                if (n == 0) break;
                filled += n;
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.PayloadTooLarge(maxBytes));
        }
        if (filled > maxBytes) return (null, Problems.PayloadTooLarge(maxBytes));
        try
        {
            var document = JsonDocument.Parse(buffer.AsMemory(0, filled), new JsonDocumentOptions { MaxDepth = 32 });
            if (EscapesALoneSurrogate(buffer.AsSpan(0, filled)))
            {
                document.Dispose();
                return (null, Problems.InvalidJson("A string escapes half of a UTF-16 surrogate pair (e.g. \\ud800 alone), which is not text."));
            }
            return (document, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.InvalidJson($"Line {e.LineNumber + 1}, byte {e.BytePositionInLine}: the body could not be parsed."));
        }
    }

    // JSON's grammar allows "\ud800" alone, but it decodes to no string: reading it later would throw
    // (a 500). Only escaped strings can hold one, so only those are decoded here, once.
    private static bool EscapesALoneSurrogate(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 32 });
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped) continue;
            try
            {
                reader.GetString();
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A string property, or null when absent, null or not a string.</summary>
    public static string? String(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
