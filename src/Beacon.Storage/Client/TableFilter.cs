using System.Globalization;

namespace Beacon.Storage.Client;

/// <summary>
/// Builds OData filters from interpolated strings, quoting and escaping every value, so a value can
/// never change the shape of a query: <c>TableFilter.Create($"PartitionKey eq {pk} and RowKey ge {rk}")</c>.
/// Property names belong in the format string; values always go through the arguments.
/// </summary>
public static class TableFilter
{
    public static string Create(FormattableString filter)
    {
        var args = filter.GetArguments().Select(Literal).ToArray<object?>();
        return string.Format(CultureInfo.InvariantCulture, filter.Format, args);
    }

    public static string Literal(object? value) => value switch
    {
        null => throw new ArgumentNullException(nameof(value), "Filter values cannot be null."),
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        int i => i.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTimeOffset d => "datetime'" + d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + "'",
        Guid g => "guid'" + g.ToString("D") + "'",
        _ => throw new NotSupportedException($"Unsupported filter value type {value.GetType().Name}."),
    };

    /// <summary>Rows whose key starts with <paramref name="prefix"/>, as a range the service can seek.</summary>
    public static string RowKeyPrefix(string partitionKey, string prefix) =>
        Create($"PartitionKey eq {partitionKey} and RowKey ge {prefix} and RowKey lt {UpperBound(prefix)}");

    /// <summary>The smallest string greater than every string that starts with <paramref name="prefix"/>.</summary>
    public static string UpperBound(string prefix) =>
        prefix.Length == 0 ? throw new ArgumentException("Empty prefix.", nameof(prefix)) : prefix[..^1] + (char)(prefix[^1] + 1);
}
