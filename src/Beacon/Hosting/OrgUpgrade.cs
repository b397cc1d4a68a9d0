using Beacon.Storage.Stores;

namespace Beacon.Hosting;

/// <summary>
/// The upgrade step that runs by itself: once per process start, in the background, every org created
/// before default workspaces existed gets its <c>Default</c> workspace. Reads do the same for an org they
/// meet first (DirectoryStore.EnsureDefaultWorkspaceAsync), so nothing waits for this to finish. Licenses
/// created before the id index existed are indexed, so the operator API can find them by id; licenses and
/// deployments recorded before the fleet index existed are listed in it (docs/decisions/0015-fleet-paging.md).
/// </summary>
internal sealed class OrgUpgrade(Deferred<DirectoryStore> directoryStore, Deferred<CredentialStore> credentialStore, Deferred<DeploymentStore> deploymentStore, TimeProvider time, ILogger<OrgUpgrade> logger) : BackgroundService
{
    /// <summary>How long after start the upgrade waits: it is not urgent, and the first requests should not share the CPU with it.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Delay, time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var (directory, credentials) = (directoryStore.Value, credentialStore.Value);
        try
        {
            int upgraded = 0, indexed = 0, fleet = 0;
            await foreach (var org in directory.ListOrgsAsync(stoppingToken))
            {
                indexed += await credentials.IndexLicenseIdsAsync(org.OrgId, stoppingToken);
                fleet += await credentials.IndexLicensesInFleetAsync(org.OrgId, stoppingToken);
                fleet += await deploymentStore.Value.IndexUnindexedAsync(org.OrgId, time.GetUtcNow(), stoppingToken);
                if (org.DefaultWorkspaceId is not null) continue;
                await directory.EnsureDefaultWorkspaceAsync(org, stoppingToken);
                upgraded++;
            }
            if (upgraded > 0) logger.LogInformation("Gave {Count} organizations their default workspace", upgraded);
            if (indexed > 0) logger.LogInformation("Indexed {Count} licenses by id for the operator API", indexed);
            if (fleet > 0) logger.LogInformation("Listed {Count} licenses and deployments in the fleet index", fleet);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Harmless: the orgs left are upgraded when first read, or at the next start.
            logger.LogWarning("The default-workspace upgrade stopped early: {Error}", e.GetType().Name);
        }
    }
}
