using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Beacon.Functions;

/// <summary>What customers read: granular usage (JSON and CSV), their workspaces, and LangSmith's org and workspace endpoints.</summary>
public sealed class BillingFunctions(EndpointPipeline pipeline)
{
    [Function("GranularUsage")]
    public Task<IResult> GranularUsage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/orgs/current/billing/granular-usage")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("GranularUsageExport")]
    public Task<IResult> GranularUsageExport([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/orgs/current/billing/granular-usage/export")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("Workspaces")]
    public Task<IResult> Workspaces([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/orgs/current/workspaces")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("CurrentOrganization")]
    public Task<IResult> CurrentOrganization([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/orgs/current")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("WorkspaceList")]
    public Task<IResult> WorkspaceList([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/workspaces")] HttpRequest req) => pipeline.RunAsync(req);
}
