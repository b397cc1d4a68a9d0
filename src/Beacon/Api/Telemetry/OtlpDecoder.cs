using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Beacon.Api.Telemetry;

/// <summary>
/// Decodes an OTLP request from protobuf or from the OTLP JSON mapping. OTLP JSON writes trace and span
/// ids as hex, where proto3 JSON expects base64, so those are converted before parsing; unknown fields
/// are ignored either way (a newer exporter's additions never break decoding).
/// </summary>
internal static class OtlpDecoder
{
    private static readonly JsonParser Json = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private const int MaxJsonDepth = 64;
    private static readonly HashSet<string> IdFields = ["traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id"];

    /// <summary>The message, or null when the body cannot be decoded as one (truncated, malformed).</summary>
    public static T? TryParse<T>(OtlpPayload payload, MessageParser<T> parser) where T : class, IMessage<T>, new()
    {
        try
        {
            if (payload.Encoding == OtlpEncoding.Protobuf) return parser.ParseFrom(payload.Bytes);
            // Strings that are not text (invalid UTF-8, a lone escaped surrogate) would throw when read.
            return Beacon.Api.Http.JsonBody.FindInvalidText(payload.Bytes, MaxJsonDepth) is null ? Json.Parse<T>(HexIdsToBase64(payload.Bytes)) : null;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or JsonException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static string HexIdsToBase64(byte[] json)
    {
        var root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        Convert(root);
        return root?.ToJsonString() ?? "null";
    }

    private static void Convert(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToList())
                {
                    if (IdFields.Contains(name) && value is JsonValue v && v.TryGetValue(out string? hex) && IsHex(hex))
                        o[name] = System.Convert.ToBase64String(System.Convert.FromHexString(hex));
                    else Convert(value);
                }
                break;
            case JsonArray a:
                foreach (var item in a) Convert(item);
                break;
        }
    }

    private static bool IsHex(string s) => s.Length % 2 == 0 && s.All(char.IsAsciiHexDigit);
}
