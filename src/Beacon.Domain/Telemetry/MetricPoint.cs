using System.Security.Cryptography;
using System.Text;

namespace Beacon.Domain.Telemetry;

/// <summary>
/// One metric data point of an install's operational telemetry (SPEC §4.7). A series is (instance,
/// name, attribute set); <see cref="Value"/> holds a gauge's or sum's number, <see cref="Histogram"/>
/// the rest.
/// </summary>
public sealed record MetricPoint(
    string Instance,
    string Name,
    string Unit,
    MetricKind Kind,
    IReadOnlyDictionary<string, string> Attributes,
    long TimeUnixNano,
    double? Value,
    HistogramValue? Histogram)
{
    /// <summary>A stable key for the series: equal for every point of it, different for any other.</summary>
    public string SeriesKey => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u0001',
        [Instance, Name, .. Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "\u0002" + a.Value)]))))[..32];
}
