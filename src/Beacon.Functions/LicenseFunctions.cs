using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Beacon.Functions;

/// <summary>What installs call to prove who they are: license verification and API-key verification.</summary>
public sealed class LicenseFunctions(EndpointPipeline pipeline)
{
    [Function("Verify")]
    public Task<IResult> Verify([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/beacon/verify")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("Auth")]
    public Task<IResult> Auth([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth")] HttpRequest req) => pipeline.RunAsync(req);
}
