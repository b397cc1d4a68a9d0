namespace Beacon.Api.Telemetry;

/// <summary>The two OTLP/HTTP encodings; the answer uses the request's.</summary>
internal enum OtlpEncoding
{
    Protobuf,
    Json,
}
