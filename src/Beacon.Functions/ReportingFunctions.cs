using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Beacon.Functions;

/// <summary>What installs report: usage windows (on the three paths the client uses), trace counts and usage snapshots.</summary>
public sealed class ReportingFunctions(EndpointPipeline pipeline)
{
    [Function("Submit")]
    public Task<IResult> Submit([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/metadata/submit")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("BeaconSubmit")]
    public Task<IResult> BeaconSubmit([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/beacon/metadata/submit")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("ApiSubmit")]
    public Task<IResult> ApiSubmit([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/metadata/submit")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("IngestTraces")]
    public Task<IResult> IngestTraces([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/beacon/ingest-traces")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("UsageSnapshot")]
    public Task<IResult> UsageSnapshot([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/beacon/usage-snapshot")] HttpRequest req) => pipeline.RunAsync(req);
}
