namespace Beacon.Tests;

/// <summary>
/// Self-reported usage (SPEC §17): its own storage, app and clock, because its tests close statement months
/// (the ledger is one per storage account) and upload many reports.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReportsCollection : ICollectionFixture<NoFleetWriterFixture>
{
    public const string Name = "reports";
}
