namespace Beacon.Tests;

/// <summary>Statements, rollups and staged exports: apart, because closing a month closes it for every org of a storage account, and so that they run beside the API tests. (Each collection has its own Azurite, app and clock; see <see cref="BeaconCollection"/>.)</summary>
[CollectionDefinition(Name)]
public sealed class LedgerCollection : ICollectionFixture<NoFleetWriterFixture>
{
    public const string Name = "ledger";
}
