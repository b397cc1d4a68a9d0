using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Beacon.Functions;

/// <summary>The OTLP/HTTP receivers installs export their own telemetry to.</summary>
public sealed class TelemetryFunctions(EndpointPipeline pipeline)
{
    [Function("OtlpMetrics")]
    public Task<IResult> OtlpMetrics([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/beacon/v1/metrics")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OtlpLogs")]
    public Task<IResult> OtlpLogs([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/beacon/v1/logs")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OtlpTraces")]
    public Task<IResult> OtlpTraces([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/beacon/v1/traces")] HttpRequest req) => pipeline.RunAsync(req);
}
