using Beacon.Storage.Stores;
using Beacon.Tokens;

namespace Beacon.Hosting;

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
