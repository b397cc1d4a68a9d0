using Azure.Data.Tables;
using Beacon.Storage.Account;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Tests;

/// <summary>The benchmark's counters: every attempt the SDK sends (retries too), which of them write, and entities read.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageMetricsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Every_attempt_is_counted_retries_included_and_writes_apart()
    {
        var faults = new FaultInjectingTransport();
        var account = new StorageAccount(azurite.Connection, new StoragePipelineOptions { Transport = faults, Delay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) });
        var table = account.TableService.GetTableClient(AzuriteFixture.UniqueName("m"));
        await table.CreateIfNotExistsAsync();
        account.Metrics.Reset();

        int busy = 0;
        faults.Set(r => r.Method.Method == "POST" && Interlocked.Increment(ref busy) <= 2 ? FaultInjectingTransport.Fault.ServerBusy : FaultInjectingTransport.Fault.None);
        await table.AddEntityAsync(new TableEntity("p", "r"));
        faults.Set(null);
        await table.GetEntityAsync<TableEntity>("p", "r");

        Assert.Equal(4, account.Metrics.Requests); // two refused attempts, the insert, the read
        Assert.Equal(3, account.Metrics.Writes);
    }

    [Fact]
    public async Task Reads_through_the_stores_count_the_entities_returned_and_always_carry_the_keys()
    {
        var account = new StorageAccount(azurite.Connection);
        var tables = new Tables(account);
        var table = account.TableService.GetTableClient(AzuriteFixture.UniqueName("m"));
        await table.CreateIfNotExistsAsync();
        await table.SubmitInBatchesAsync(Enumerable.Range(0, 250).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"{i:D4}") { ["v"] = (long)i, ["w"] = "x" })), default);
        account.Metrics.Reset();

        var rows = await tables.QueryAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {"p"} and RowKey lt {"0200"}"), ["v"]).ToListAsync();
        var one = await tables.GetAsync(table, "p", "0007", ["v"]);
        var none = await tables.GetAsync(table, "p", "nope");

        Assert.Equal(200, rows.Count);
        Assert.All(rows, r => Assert.Equal(("p", $"{r.GetInt64("v"):D4}"), (r.PartitionKey, r.RowKey)));
        Assert.False(rows[0].ContainsKey("w"));
        Assert.Equal(7L, one!.GetInt64("v"));
        Assert.Null(none);
        Assert.Equal(201, account.Metrics.EntitiesRead);
    }
}
