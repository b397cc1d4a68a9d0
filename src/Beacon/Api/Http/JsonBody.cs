using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Http;

/// <summary>
/// Reads a JSON request body with a hard size limit, before any parsing: a declared length over the
/// limit is refused at once, and a streamed body is cut off at limit + 1 bytes.
/// </summary>
internal static class JsonBody
{
    public static async Task<RequestRead<JsonDocument>> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return Problems.PayloadTooLarge(maxBytes);
        // A declared length sizes the buffer exactly; a chunked body starts small and grows.
        var buffer = new byte[request.ContentLength is { } declared ? (int)declared + 1 : Math.Min(16 * 1024, maxBytes + 1)];
        int filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length > maxBytes) return Problems.PayloadTooLarge(maxBytes);
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxBytes + 1));
                }
                int n = await request.Body.ReadAsync(buffer.AsMemory(filled), ct);
                if (n == 0) break;
                filled += n;
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.PayloadTooLarge(maxBytes);
        }
        if (filled > maxBytes) return Problems.PayloadTooLarge(maxBytes);
        try
        {
            if (FindInvalidText(buffer.AsSpan(0, filled)) is { } invalid) return Problems.InvalidJson(invalid);
            return JsonDocument.Parse(buffer.AsMemory(0, filled), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            return Problems.InvalidJson($"Line {e.LineNumber + 1}, byte {e.BytePositionInLine}: the body could not be parsed.");
        }
    }

    /// <summary>
    /// What makes a well-formed body unreadable, described, or null: a string or property name that is not
    /// text, or a key that appears twice in one object. The JSON grammar is checked by the reader, but the
    /// bytes inside a string are not: invalid UTF-8, or an escaped half of a surrogate pair ("\ud800"
    /// alone), would only throw when the string is read later — a 500; and of a repeated key, one value
    /// would be silently ignored. One pass over the body checks every string once.
    /// </summary>
    public static string? FindInvalidText(ReadOnlySpan<byte> json, int maxDepth = 32)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        var keys = new Stack<HashSet<string>?>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    keys.Push(new HashSet<string>(StringComparer.Ordinal));
                    continue;
                case JsonTokenType.StartArray:
                    keys.Push(null);
                    continue;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    keys.Pop();
                    continue;
                case not (JsonTokenType.String or JsonTokenType.PropertyName):
                    continue;
            }
            string text;
            if (!reader.ValueIsEscaped && !System.Text.Unicode.Utf8.IsValid(reader.ValueSpan)) return $"Byte {reader.TokenStartIndex}: a string is not valid UTF-8.";
            try
            {
                text = reader.GetString()!;
            }
            catch (InvalidOperationException)
            {
                return $"Byte {reader.TokenStartIndex}: a string escapes half of a UTF-16 surrogate pair (e.g. \\ud800 alone) or is not valid UTF-8, which is not text.";
            }
            if (reader.TokenType == JsonTokenType.PropertyName && keys.Peek() is { } seen && !seen.Add(text))
                return $"Byte {reader.TokenStartIndex}: the key \"{(text.Length > 64 ? text[..64] + "…" : text)}\" appears twice in one object.";
        }
        return null;
    }

    /// <summary>A string property, or null when absent, null or not a string.</summary>
    public static string? String(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
