namespace Beacon.Tests;

/// <summary>
/// The tests that move the clock by days or freeze it at another month: in their own app, so that the
/// other collections' clocks (and their deployments' reporting states) never jump.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CalendarCollection : ICollectionFixture<NoFleetWriterFixture>
{
    public const string Name = "calendar";
}
