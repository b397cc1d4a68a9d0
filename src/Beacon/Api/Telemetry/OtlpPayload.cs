namespace Beacon.Api.Telemetry;

/// <summary>An OTLP request body, decompressed and within the limits, with its encoding.</summary>
internal sealed record OtlpPayload(byte[] Bytes, OtlpEncoding Encoding);
