using System.Collections;
using System.Globalization;
using System.Text.Json;
using Azure;

namespace Beacon.Storage.Client;

/// <summary>
/// A Table Storage entity: keys, ETag, server timestamp and typed properties. Values are
/// <see cref="string"/>, <see cref="long"/> (Edm.Int64), <see cref="int"/>, <see cref="double"/>,
/// <see cref="bool"/> or <see cref="DateTimeOffset"/>.
/// </summary>
public sealed class TableEntity : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly Dictionary<string, object?> _properties = new(StringComparer.Ordinal);

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; }
    public string RowKey { get; }
    public ETag ETag { get; set; }
    public DateTimeOffset? Timestamp { get; set; }

    public object? this[string name]
    {
        get => _properties.GetValueOrDefault(name);
        set => _properties[name] = value;
    }

    public bool Contains(string name) => _properties.ContainsKey(name);

    public void Add(string name, object? value) => _properties[name] = value;

    public string? GetString(string name) => this[name] as string;

    public string GetStringOrEmpty(string name) => this[name] as string ?? "";

    public long GetInt64(string name) => this[name] switch
    {
        long l => l,
        int i => i,
        double d => (long)d,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
        _ => 0,
    };

    public long? GetInt64OrNull(string name) => Contains(name) && this[name] is not null ? GetInt64(name) : null;

    public int GetInt32(string name) => (int)GetInt64(name);

    public bool GetBool(string name) => this[name] is true;

    public double GetDouble(string name) => this[name] switch
    {
        double d => d,
        long l => l,
        int i => i,
        _ => 0,
    };

    public DateTimeOffset? GetDateTime(string name) => this[name] switch
    {
        DateTimeOffset d => d,
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var p) => p,
        _ => null,
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Writes the JSON body the Table service expects, with Edm annotations where the type is not inferable.</summary>
    internal byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString(nameof(PartitionKey), PartitionKey);
            w.WriteString(nameof(RowKey), RowKey);
            foreach (var (name, value) in _properties)
            {
                switch (value)
                {
                    case null: break; // absent properties are simply not stored
                    case string s: w.WriteString(name, s); break;
                    case long l:
                        w.WriteString(name + "@odata.type", "Edm.Int64");
                        w.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                        break;
                    case int i: w.WriteNumber(name, i); break;
                    case bool b: w.WriteBoolean(name, b); break;
                    case double d:
                        w.WriteString(name + "@odata.type", "Edm.Double");
                        w.WriteNumber(name, d);
                        break;
                    case DateTimeOffset t:
                        w.WriteString(name + "@odata.type", "Edm.DateTime");
                        w.WriteString(name, t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                        break;
                    default: throw new NotSupportedException($"Property {name} has unsupported type {value.GetType().Name}.");
                }
            }
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    internal static TableEntity FromJson(JsonElement e, ETag? headerETag = null)
    {
        var entity = new TableEntity(e.GetProperty(nameof(PartitionKey)).GetString()!, e.GetProperty(nameof(RowKey)).GetString()!);
        if (headerETag is { } h) entity.ETag = h;
        foreach (var p in e.EnumerateObject())
        {
            if (p.Name is "PartitionKey" or "RowKey" || p.Name.Contains('@', StringComparison.Ordinal)) continue;
            if (p.Name == "odata.etag")
            {
                entity.ETag = new ETag(p.Value.GetString()!);
                continue;
            }
            if (p.Name.StartsWith("odata.", StringComparison.Ordinal)) continue;
            string? type = e.TryGetProperty(p.Name + "@odata.type", out var t) ? t.GetString() : null;
            object? value = (type, p.Value.ValueKind) switch
            {
                ("Edm.Int64", JsonValueKind.String) => long.Parse(p.Value.GetString()!, CultureInfo.InvariantCulture),
                ("Edm.DateTime", JsonValueKind.String) => DateTimeOffset.Parse(p.Value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                ("Edm.Double", JsonValueKind.String) => double.Parse(p.Value.GetString()!, CultureInfo.InvariantCulture),
                (_, JsonValueKind.String) => p.Value.GetString(),
                (_, JsonValueKind.Number) when p.Value.TryGetInt32(out var i) && type != "Edm.Double" => i,
                (_, JsonValueKind.Number) => p.Value.GetDouble(),
                (_, JsonValueKind.True) => true,
                (_, JsonValueKind.False) => false,
                _ => null,
            };
            if (p.Name == "Timestamp")
                entity.Timestamp = value as DateTimeOffset? ?? (value is string ts ? DateTimeOffset.Parse(ts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null);
            else entity[p.Name] = value;
        }
        return entity;
    }
}
