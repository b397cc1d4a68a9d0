namespace Beacon.Tests;

/// <summary>
/// Hostile input over the whole route table (the fuzz, malformed bodies) and the deployment artifacts
/// (Bicep, the OpenAPI document): the longest classes of the main collection, apart so that it is not the
/// run's critical path. (Each collection has its own Azurite, app and clock; see <see cref="BeaconCollection"/>.)
/// </summary>
[CollectionDefinition(Name)]
public sealed class EdgeCollection : ICollectionFixture<BeaconFixture>
{
    public const string Name = "edge";
}
