namespace Beacon.Tests;

/// <summary>
/// Webhooks and alerts (SPEC §18): their own storage, app and clock, because their tests move the clock by days
/// (retries over three days, an endpoint disabled after five) and every endpoint receives every event of the
/// app it is registered with.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AlertsCollection : ICollectionFixture<BeaconFixture>
{
    public const string Name = "alerts";
}
