using Beacon.Storage.Client;
using Beacon.Storage.Local;

namespace Beacon.Testing;

/// <summary>One in-memory Azurite on free loopback ports for a test collection; stopped afterwards.</summary>
public class AzuriteFixture : IAsyncLifetime
{
    private Azurite? _azurite;

    public StorageEndpoints Endpoints => _azurite!.Endpoints;

    public static string RepositoryRoot => Azurite.FindRepositoryRoot();

    public virtual async Task InitializeAsync() => _azurite = await Azurite.StartAsync(RepositoryRoot);

    public virtual async Task DisposeAsync()
    {
        if (_azurite is not null) await _azurite.DisposeAsync();
    }

    /// <summary>A fresh, unique table or container name so tests never see each other's data.</summary>
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];
}
