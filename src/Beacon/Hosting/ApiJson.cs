using System.Text.Json;
using System.Text.Json.Serialization;
using Beacon.Api.Access;
using Beacon.Api.Billing;
using Beacon.Api.Licenses;
using Beacon.Api.Meters;
using Beacon.Api.Operator;
using Beacon.Api.Reporting;
using Beacon.Domain;

using Beacon.Api;
using Beacon.Api.Http;

namespace Beacon.Hosting;

/// <summary>
/// Every type the API writes or describes as JSON, with its serialization code generated at compile time
/// (snake_case names, the web defaults). It is the only resolver of the app's HTTP JSON options, so an
/// answer type missing here fails in the tests as it would in the natively compiled <c>beacon</c>, which
/// cannot serialize by reflection (ADR 0001). The number types are here for the values of the statement's
/// per-meter fields and of telemetry metrics, which are typed <c>object</c>.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AuditList))]
[JsonSerializable(typeof(AuthResponse))]
[JsonSerializable(typeof(AdjustmentView))]
[JsonSerializable(typeof(DeliveryList))]
[JsonSerializable(typeof(DeliveryView))]
[JsonSerializable(typeof(DeploymentList))]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(IReadOnlyList<WorkspaceInfo>))]
[JsonSerializable(typeof(IngestResult))]
[JsonSerializable(typeof(LicenseChange))]
[JsonSerializable(typeof(LicenseList))]
[JsonSerializable(typeof(LicenseUsageView))]
[JsonSerializable(typeof(LicenseView))]
[JsonSerializable(typeof(MeterCatalogView))]
[JsonSerializable(typeof(Tokens.OfflineLicenseKey))]
[JsonSerializable(typeof(OrganizationInfo))]
[JsonSerializable(typeof(SnapshotList))]
[JsonSerializable(typeof(StatementView))]
[JsonSerializable(typeof(TelemetryView))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(UsageAnswer))]
[JsonSerializable(typeof(UsageReportList))]
[JsonSerializable(typeof(UsageReportView))]
[JsonSerializable(typeof(WebhookCreated))]
[JsonSerializable(typeof(WebhookList))]
[JsonSerializable(typeof(WorkspaceList))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(FieldError[]))]
// Request bodies, described in the OpenAPI document (the endpoints read them as JSON documents).
[JsonSerializable(typeof(AdjustmentBody))]
[JsonSerializable(typeof(ExpiryBody))]
[JsonSerializable(typeof(TraceBatchBody))]
[JsonSerializable(typeof(UsageSnapshotBody))]
[JsonSerializable(typeof(UsageWindowBody))]
[JsonSerializable(typeof(VerifyBody))]
[JsonSerializable(typeof(WebhookCreateBody))]
// Values of object-typed fields.
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(Int128))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(bool))]
internal sealed partial class ApiJson : JsonSerializerContext;
