namespace Beacon.Tests;

/// <summary>The rollup property test, for the same reasons as <see cref="PropertyCollection"/>: its own Azurite and app.</summary>
[CollectionDefinition(Name)]
public sealed class RollupPropertyCollection : ICollectionFixture<NoFleetWriterFixture>
{
    public const string Name = "rollup-properties";
}
