using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Beacon.Domain.Telemetry;
using Beacon.Otlp.Common;
using Google.Protobuf.Collections;

namespace Beacon.Api.Telemetry;

/// <summary>
/// OTLP attribute and body values as bounded text (SPEC §15). Arrays and maps are written once, as JSON,
/// by one writer that stops at <see cref="TelemetryPolicy.MaxNesting"/> levels and at
/// <see cref="TelemetryPolicy.MaxValueChars"/>: the work is linear in what is rendered, never in what
/// was sent, and nothing is re-serialised level by level (which once made a 127-byte body of 26 nested
/// arrays take gigabytes). A repeated key in a map keeps its first value, as in <see cref="Attributes"/>.
/// </summary>
internal static class OtlpValues
{
    public const string Cut = "…";

    /// <summary>
    /// An item's attributes: the first <see cref="TelemetryPolicy.MaxAttributes"/> distinct keys (names cut
    /// to <see cref="TelemetryPolicy.MaxNameChars"/>), while keys and values together stay within
    /// <see cref="TelemetryPolicy.MaxAttributesChars"/>; what is left out is counted in <see cref="TelemetryPolicy.DroppedAttributes"/>.
    /// </summary>
    public static Dictionary<string, string> Attributes(RepeatedField<KeyValue>? attributes)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (attributes is null) return result;
        int chars = 0, dropped = 0;
        foreach (var kv in attributes)
        {
            var key = Name(kv.Key);
            if (result.ContainsKey(key)) continue; // a repeated key: the first one sent stands
            if (result.Count == TelemetryPolicy.MaxAttributes)
            {
                dropped++;
                continue;
            }
            var value = Text(kv.Value);
            if (chars + key.Length + value.Length > TelemetryPolicy.MaxAttributesChars)
            {
                dropped++;
                continue;
            }
            chars += key.Length + value.Length;
            result[key] = value;
        }
        if (dropped > 0) result[TelemetryPolicy.DroppedAttributes] = dropped.ToString(CultureInfo.InvariantCulture);
        return result;
    }

    /// <summary>A name (metric, span, attribute key) cut to <see cref="TelemetryPolicy.MaxNameChars"/>.</summary>
    public static string Name(string name) => Bounded(name, TelemetryPolicy.MaxNameChars);

    /// <summary>Any other free text (status message, severity text) cut to <see cref="TelemetryPolicy.MaxValueChars"/>.</summary>
    public static string Bounded(string text, int max) => text.Length <= max ? text : Prefix(text, max - 1) + Cut;

    /// <summary>At most <paramref name="max"/> characters of <paramref name="text"/>, never half a surrogate pair.</summary>
    private static string Prefix(string text, int max)
    {
        if (text.Length <= max) return text;
        return char.IsHighSurrogate(text[max - 1]) ? text[..(max - 1)] : text[..max];
    }

    /// <summary>A value as text: scalars as themselves, arrays and maps as JSON; cut and marked past the bounds.</summary>
    public static string Text(AnyValue? value)
    {
        if (value is null) return "";
        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.ArrayValue:
            case AnyValue.ValueOneofCase.KvlistValue:
                var buffer = new ArrayBufferWriter<byte>(256);
                bool cut;
                using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
                {
                    cut = !Write(writer, value, depth: 1);
                    writer.Flush();
                }
                var json = Encoding.UTF8.GetString(buffer.WrittenSpan);
                return cut || json.Length > TelemetryPolicy.MaxValueChars ? Bounded(json, TelemetryPolicy.MaxValueChars - 1) + Cut : json;
            default:
                return Bounded(Scalar(value), TelemetryPolicy.MaxValueChars);
        }
    }

    private static string Scalar(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span[..Math.Min(value.BytesValue.Length, TelemetryPolicy.MaxValueChars)]),
        _ => "",
    };

    /// <summary>Writes <paramref name="value"/>; false once the budget or the depth ran out (the rest is left unwritten).</summary>
    private static bool Write(Utf8JsonWriter writer, AnyValue value, int depth)
    {
        if (writer.BytesPending + writer.BytesCommitted > TelemetryPolicy.MaxValueChars) return false;
        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.ArrayValue:
                if (depth > TelemetryPolicy.MaxNesting)
                {
                    writer.WriteStringValue(Cut);
                    return false;
                }
                writer.WriteStartArray();
                foreach (var item in value.ArrayValue.Values)
                {
                    if (!Write(writer, item, depth + 1)) return false;
                }
                writer.WriteEndArray();
                return true;
            case AnyValue.ValueOneofCase.KvlistValue:
                if (depth > TelemetryPolicy.MaxNesting)
                {
                    writer.WriteStringValue(Cut);
                    return false;
                }
                writer.WriteStartObject();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var kv in value.KvlistValue.Values)
                {
                    var key = Name(kv.Key);
                    if (!seen.Add(key)) continue;
                    writer.WritePropertyName(key);
                    if (!Write(writer, kv.Value ?? new AnyValue(), depth + 1)) return false;
                }
                writer.WriteEndObject();
                return true;
            case AnyValue.ValueOneofCase.BoolValue:
                writer.WriteBooleanValue(value.BoolValue);
                return true;
            case AnyValue.ValueOneofCase.IntValue:
                writer.WriteNumberValue(value.IntValue);
                return true;
            case AnyValue.ValueOneofCase.None:
                writer.WriteNullValue();
                return true;
            default:
                var text = Scalar(value);
                writer.WriteStringValue(Prefix(text, TelemetryPolicy.MaxValueChars));
                return true;
        }
    }
}
