using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Beacon.Functions;

/// <summary>The vendor's operator API: licenses and their actions, the fleet, telemetry, snapshots, audit and statements.</summary>
public sealed class OperatorFunctions(EndpointPipeline pipeline)
{
    [Function("OperatorLicenses")]
    public Task<IResult> Licenses([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/operator/licenses")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorLicense")]
    public Task<IResult> License([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/operator/licenses/{id}")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorLicenseSuspend")]
    public Task<IResult> Suspend([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/operator/licenses/{id}/suspend")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorLicenseRevoke")]
    public Task<IResult> Revoke([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/operator/licenses/{id}/revoke")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorLicenseActivate")]
    public Task<IResult> Activate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/operator/licenses/{id}/activate")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorLicenseExtend")]
    public Task<IResult> Extend([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/operator/licenses/{id}/extend")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorLicenseOfflineKey")]
    public Task<IResult> OfflineKey([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/operator/licenses/{id}/offline-key")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorLicenseUsageReport")]
    public Task<IResult> UsageReport([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/operator/licenses/{id}/usage-reports")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorLicenseUsageReports")]
    public Task<IResult> UsageReports([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/operator/licenses/{id}/usage-reports")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorWebhookCreate")]
    public Task<IResult> WebhookCreate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/operator/webhooks")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorWebhooks")]
    public Task<IResult> Webhooks([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/operator/webhooks")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorWebhookDelete")]
    public Task<IResult> WebhookDelete([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/operator/webhooks/{id}")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorWebhookTest")]
    public Task<IResult> WebhookTest([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/operator/webhooks/{id}/test")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorWebhookDeliveries")]
    public Task<IResult> WebhookDeliveries([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/operator/webhooks/{id}/deliveries")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorWebhookRedeliver")]
    public Task<IResult> WebhookRedeliver([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/operator/webhooks/deliveries/{delivery_id}/redeliver")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorLicenseUsage")]
    public Task<IResult> LicenseUsage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/operator/licenses/{id}/usage")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorDeployments")]
    public Task<IResult> Deployments([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/operator/deployments")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorTelemetry")]
    public Task<IResult> Telemetry([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/operator/telemetry")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorSnapshots")]
    public Task<IResult> Snapshots([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/operator/snapshots")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorAudit")]
    public Task<IResult> Audit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/operator/audit")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorStatement")]
    public Task<IResult> Statement([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/operator/statements")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorStatementClose")]
    public Task<IResult> StatementClose([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/operator/statements/{month}/close")] HttpRequest req) => pipeline.RunAsync(req);

    [Function("OperatorAdjustments")]
    public Task<IResult> Adjustments([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/operator/adjustments")] HttpRequest req) => pipeline.RunAsync(req);
}
