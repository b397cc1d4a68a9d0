using Beacon.Storage.Client;
using Beacon.Storage.Local;

namespace Beacon.Storage.Tests;

/// <summary>One in-memory Azurite on free loopback ports for the test collection; stopped afterwards.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? _azurite;

    public StorageEndpoints Endpoints => _azurite!.Endpoints;

    public async Task InitializeAsync() => _azurite = await Azurite.StartAsync(Azurite.FindRepositoryRoot());

    public async Task DisposeAsync()
    {
        if (_azurite is not null) await _azurite.DisposeAsync();
    }

    /// <summary>A fresh, unique table name so tests never see each other's data.</summary>
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
