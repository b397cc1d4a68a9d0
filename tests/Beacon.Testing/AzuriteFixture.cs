using Beacon.Storage.Account;

namespace Beacon.Testing;

/// <summary>One in-memory Azurite on free loopback ports for a test collection; stopped afterwards.</summary>
public class AzuriteFixture : IAsyncLifetime
{
    private Azurite.Azurite? _azurite;

    /// <summary>The connection string of this Azurite (the development account on its ports).</summary>
    public string ConnectionString => _azurite!.ConnectionString;

    public StorageConnection Connection => new(ConnectionString, null, null, null);

    public static string RepositoryRoot => Azurite.Azurite.FindRepositoryRoot();

    public virtual async Task InitializeAsync() => _azurite = await Azurite.Azurite.StartAsync(RepositoryRoot);

    public virtual async Task DisposeAsync()
    {
        if (_azurite is not null) await _azurite.DisposeAsync();
    }

    /// <summary>A fresh, unique table or container name so tests never see each other's data.</summary>
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];
}
