using Beacon.Api;
using Beacon.Storage.Client;
using Beacon.Storage.Exports;
using Beacon.Storage.Query;
using Beacon.Storage.Rollups;
using Beacon.Storage.Stores;
using Beacon.Tokens;

namespace Beacon.Hosting;

/// <summary>Registers Beacon's services: storage, stores, credentials, tokens.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddBeacon(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BeaconOptions>()
            .Bind(configuration.GetSection(BeaconOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => CronSchedule.TryParse(o.RollupSchedule, out _), "Beacon:RollupSchedule must be a 6-field NCRONTAB expression.")
            .ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new StorageClientOptions());
        services.AddSingleton(sp => new StorageAccount(
            StorageEndpoints.FromSettings(name => configuration[name]),
            sp.GetRequiredService<StorageClientOptions>()));
        services.AddSingleton(sp => new Tables(sp.GetRequiredService<StorageAccount>()));
        services.AddSingleton<DirectoryStore>();
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<DirtyDayStore>();
        services.AddSingleton<WindowStore>();
        services.AddSingleton<TraceStore>();
        services.AddSingleton<SigningKeyStore>();
        services.AddSingleton<RollupStore>();
        services.AddSingleton<UsageQueryEngine>();
        services.AddSingleton<StagedExports>();
        services.AddSingleton(new RollupOptions());
        services.AddSingleton<RollupJob>();
        services.AddSingleton<SigningKeyRing>();
        services.AddSingleton<LicenseTokenIssuer>();
        return services;
    }

    /// <summary>What only the HTTP host needs on top of <see cref="AddBeacon"/>.</summary>
    public static IServiceCollection AddBeaconApi(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<CredentialCache>();
        services.AddSingleton<CredentialRateLimiter>();
        services.AddSingleton<Callers>();
        services.AddSingleton<ApiKeyUsage>();
        services.AddSingleton<UsageAdmission>();
        services.AddSingleton<UsageAccess>();
        services.AddProblemDetails();
        services.AddExceptionHandler<StorageFaultHandler>();
        services.AddHostedService<StorageInitializer>();
        services.AddHostedService<RollupScheduler>();
        return services;
    }
}

/// <summary>Creates tables and containers and loads (or creates) the signing keys before requests are served.</summary>
internal sealed class StorageInitializer(Tables tables, SigningKeyRing keys) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        await keys.GetJwksJsonAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
