using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Beacon.Functions;

/// <summary>The service's own routes: health, keys, the OpenAPI document, the meter catalog and the two pages.</summary>
public sealed class ServiceFunctions(EndpointPipeline pipeline)
{
    [Function("Health")]
    public Task<IResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("Jwks")]
    public Task<IResult> Jwks([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/jwks.json")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OpenApi")]
    public Task<IResult> OpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/v1.json")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("Meters")]
    public Task<IResult> Meters([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/meters")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("Dashboard")]
    public Task<IResult> Dashboard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{*path}")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("Console")]
    public Task<IResult> Console([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/{*path}")] HttpRequest req) => pipeline.RunAsync(req);
}
