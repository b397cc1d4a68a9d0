namespace Beacon.Tests;

/// <summary>
/// The granular usage property test (hundreds of random datasets against the brute-force model): in its own
/// Azurite and app, so it runs beside the other collections instead of after them, and its datasets do not
/// slow the others' queries (Azurite's table queries scan the whole table).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PropertyCollection : ICollectionFixture<NoFleetWriterFixture>
{
    public const string Name = "properties";
}
