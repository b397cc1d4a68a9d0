namespace Beacon.Domain.Telemetry;

/// <summary>The OTLP metric data types Beacon stores.</summary>
public enum MetricKind
{
    Gauge,
    Sum,
    Histogram,
    ExponentialHistogram,
    Summary,
}
