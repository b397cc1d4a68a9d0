namespace Beacon.Tests;

/// <summary>The dashboard in Chromium (its longest tests): apart, so they run beside the API tests instead of after them. (Each collection has its own Azurite, app and clock; see <see cref="BeaconCollection"/>.)</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<NoFleetWriterFixture>
{
    public const string Name = "dashboard";
}
