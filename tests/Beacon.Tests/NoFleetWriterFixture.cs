namespace Beacon.Tests;

/// <summary>
/// <see cref="BeaconFixture"/> whose apps do not write the fleet view: for the collections whose tests read billed
/// numbers, statements and answers, and never the operator's fleet listings. Every new deployment costs the
/// fleet index about twenty storage requests in the background (ADR 0015); in these collections, whose datasets
/// make thousands of deployments, that was about 50,000 of the run's storage requests that no test read
/// (docs/decisions/0019-test-suite-cost.md). Reports are still observed in memory, as in production. The fleet
/// view is tested where it is read: <see cref="FleetCollection"/>, <see cref="AlertsCollection"/>,
/// <see cref="DemoCollection"/>, <see cref="EdgeCollection"/> and <see cref="WorkerCollection"/> keep the writer.
/// </summary>
public sealed class NoFleetWriterFixture : BeaconFixture
{
    protected override bool WritesFleetView => false;
}
