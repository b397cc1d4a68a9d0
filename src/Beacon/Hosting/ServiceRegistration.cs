using Beacon.Settings;
using Beacon.Storage.Statements;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Authentication;
using Beacon.Api.Access;
using Beacon.Api.Billing;
using Beacon.Api.Fleet;
using Beacon.Api.Operator;
using Beacon.Api.Http;
using Beacon.Api.Reporting;
using Beacon.Api.Telemetry;
using Beacon.Domain.Meters;
using Beacon.Storage.Account;
using Beacon.Storage.Exports;
using Beacon.Storage.Maintenance;
using Beacon.Storage.Query;
using Beacon.Storage.Rollups;
using Beacon.Storage.Alerts;
using Beacon.Storage.Reports;
using Beacon.Storage.Stores;
using Beacon.Tokens;

namespace Beacon.Hosting;

/// <summary>Registers Beacon's services: storage, stores, jobs, tokens; and what only the HTTP host needs.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddBeacon(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BeaconOptions>()
            .Bind(configuration.GetSection(BeaconOptions.Section))
            .Validate(o => CronSchedule.TryParse(o.RollupSchedule, out _), "Beacon:RollupSchedule must be a 6-field NCRONTAB expression.")
            .ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddTransient(typeof(Deferred<>));
        services.AddSingleton(_ => MeterCatalog.Default); // built when first needed, not while the app starts
        // Options beside the features that use them (storage, rollups), bound and validated at start like
        // BeaconOptions. The stores take the plain objects: Beacon.Storage does not depend on the options pattern.
        // Ranges are checked by validators generated at compile time (Settings/*Validator.cs), not by reflection.
        services.AddSingleton<IValidateOptions<BeaconOptions>, BeaconOptionsValidator>();
        services.AddSingleton<IValidateOptions<StoragePipelineOptions>, StoragePipelineOptionsValidator>();
        services.AddSingleton<IValidateOptions<RollupOptions>, RollupOptionsValidator>();
        services.AddOptions<StoragePipelineOptions>().Bind(configuration.GetSection(StoragePipelineOptions.Section)).ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<StoragePipelineOptions>>().Value);
        services.AddSingleton(sp => new StorageAccount(
            StorageConnection.FromSettings(name => configuration[name]),
            sp.GetRequiredService<StoragePipelineOptions>()));
        services.AddSingleton<Tables>();
        services.AddSingleton<DirectoryStore>();
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<DirtyDayStore>();
        services.AddSingleton<WindowStore>();
        services.AddSingleton<TraceStore>();
        services.AddSingleton<ReportedUsageStore>();
        services.AddSingleton<UsageReportStore>();
        services.AddSingleton<ReportApplier>();
        services.AddSingleton<RawUsage>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<VerificationStore>();
        services.AddSingleton<SnapshotStore>();
        services.AddSingleton<TelemetryStore>();
        services.AddSingleton<FleetIndexStore>();
        services.AddSingleton<DeploymentStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<RollupStore>();
        services.AddOptions<RollupOptions>().Bind(configuration.GetSection(RollupOptions.Section)).ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RollupOptions>>().Value);
        services.AddSingleton<StatementStore>();
        services.AddSingleton<MonthUsageReader>();
        services.AddSingleton<OpenLineStore>();
        services.AddSingleton<OrgLines>();
        services.AddSingleton<OpenLineMaintainer>();
        services.AddSingleton<StatementLedger>();
        services.AddSingleton<QuotaMeter>();
        services.AddSingleton<ILateUsageReconciler>(sp => sp.GetRequiredService<StatementLedger>());
        services.AddSingleton<RollupJob>();
        services.AddSingleton<UsageCellReader>();
        services.AddSingleton<UsageQueryEngine>();
        services.AddSingleton<UsageCsvWriter>();
        services.AddSingleton<StagedExports>();
        services.AddSingleton<MaintenanceRun>();
        services.AddSingleton<StorageBackup>();
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<LicenseTokenIssuer>();
        services.AddSingleton<OfflineKeyIssuer>();
        services.AddSingleton<ReceiptSigner>();
        services.AddSingleton<Operations.UsageReportIntake>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<AlertOutbox>();
        services.AddSingleton<IDeploymentStateChanges, DeploymentAlerts>();
        services.AddSingleton<Alerts.WebhookNetwork>();
        services.AddSingleton<Alerts.WebhookSender>();
        services.AddSingleton<Alerts.AlertConditions>();
        services.AddSingleton<Alerts.AlertsRun>();
        services.AddSingleton<Operations.WebhookAdmin>();
        services.AddSingleton<Operations.LicenseActions>();
        services.AddSingleton<Operations.StatementClosing>();
        return services;
    }

    /// <summary>What only the HTTP host needs on top of <see cref="AddBeacon"/>.</summary>
    public static IServiceCollection AddBeaconApi(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<CredentialCache>();
        services.AddSingleton<CredentialRateLimiter>();
        services.AddSingleton<FailedAuthenticationLimiter>();
        services.AddSingleton<ApiKeyUsage>();
        services.AddSingleton<CredentialChecks>();
        services.AddSingleton<UsageAdmission>();
        services.AddSingleton<UsageAccess>();
        services.AddSingleton<FleetRecorder>();
        services.AddSingleton<FleetQueries>();
        services.AddHostedService<FleetWriter>();
        // Credentials as authentication schemes, endpoint kinds as policies (ADR 0020).
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(CredentialSchemes.ApiKey, null)
            .AddScheme<AuthenticationSchemeOptions, OperatorKeyHandler>(CredentialSchemes.OperatorKey, null)
            .AddScheme<AuthenticationSchemeOptions, LicenseHeaderHandler>(CredentialSchemes.LicenseHeader, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(CredentialSchemes.ApiKeyPolicy, p => p.AddAuthenticationSchemes(CredentialSchemes.ApiKey).RequireAuthenticatedUser())
            .AddPolicy(CredentialSchemes.ReadUsagePolicy, p => p.AddAuthenticationSchemes(CredentialSchemes.ApiKey).RequireAuthenticatedUser()
                .RequireClaim(CredentialHandler.PermissionClaim, Domain.Credentials.ApiKeyRecord.OrganizationRead))
            .AddPolicy(CredentialSchemes.OperatorPolicy, p => p.AddAuthenticationSchemes(CredentialSchemes.OperatorKey).RequireAuthenticatedUser())
            .AddPolicy(CredentialSchemes.LicensePolicy, p => p.AddAuthenticationSchemes(CredentialSchemes.LicenseHeader).RequireAuthenticatedUser());
        services.AddScoped<ReportingRequest>();
        // Generated serialization only, no reflection: what the tests see is what natively compiled beacon does.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.TypeInfoResolverChain.Clear();
            o.SerializerOptions.TypeInfoResolverChain.Add(ApiJson.Default);
        });
        services.AddProblemDetails();
        services.AddExceptionHandler<StorageFaultHandler>();
        // Titled by the service, not by whichever process hosts it (beacon, the Functions worker, a test host).
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Beacon";
            return Task.CompletedTask;
        }).AddOperationTransformer<RequestBodyDocumenter>());
        services.AddSingleton<StorageReadiness>();
        services.AddHostedService<StorageWarmup>();
        services.AddHostedService<RollupScheduler>();
        services.AddHostedService<AlertsScheduler>();
        services.AddHostedService<OrgUpgrade>();
        return services;
    }
}
