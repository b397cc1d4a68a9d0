using Azure;
using Azure.Data.Tables;
using Beacon.Storage.Account;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Tests;

/// <summary>The write shapes the stores rely on, on the real SDK against Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableWritesTests(AzuriteFixture azurite)
{
    private async Task<TableClient> NewTableAsync(StoragePipelineOptions? options = null)
    {
        var table = new StorageAccount(azurite.Connection, options).TableService.GetTableClient(AzuriteFixture.UniqueName("w"));
        await table.CreateIfNotExistsAsync();
        return table;
    }

    [Fact]
    public async Task Insert_if_absent_is_a_permanent_dedupe_primitive()
    {
        var table = await NewTableAsync();
        Assert.NotNull(await table.TryAddAsync(new TableEntity("p", "r") { ["v"] = 1L }, default));
        Assert.Null(await table.TryAddAsync(new TableEntity("p", "r") { ["v"] = 2L }, default));
        Assert.Equal(1L, (await table.GetEntityAsync<TableEntity>("p", "r")).Value.GetInt64("v"));
    }

    [Fact]
    public async Task Conditional_update_and_delete_refuse_a_stale_etag_and_demand_one()
    {
        var table = await NewTableAsync();
        var etag = (await table.TryAddAsync(new TableEntity("p", "r") { ["v"] = 1L }, default))!.Value;

        var newer = await table.TryUpdateAsync(new TableEntity("p", "r") { ["v"] = 2L }, etag, TableUpdateMode.Replace, default);
        Assert.NotNull(newer);
        Assert.Null(await table.TryUpdateAsync(new TableEntity("p", "r") { ["v"] = 3L }, etag, TableUpdateMode.Replace, default));
        Assert.False(await table.TryDeleteAsync("p", "r", etag, default));
        await Assert.ThrowsAsync<ArgumentException>(() => table.TryUpdateAsync(new TableEntity("p", "r"), default, TableUpdateMode.Replace, default));
        Assert.True(await table.TryDeleteAsync("p", "r", newer!.Value, default));
        Assert.False(await table.TryDeleteAsync("p", "r", ETag.All, default));
    }

    [Fact]
    public async Task A_batch_across_partitions_is_refused_before_it_is_sent_because_azurite_would_accept_it()
    {
        var table = await NewTableAsync();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitBatchAsync(
            [new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("a", "1")), new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("b", "1"))], default));
        Assert.Contains("same partition", e.Message, StringComparison.Ordinal);
        Assert.Empty(await table.QueryAsync<TableEntity>(filter: (string?)null).ToListAsync());
    }

    [Fact]
    public async Task Any_number_of_operations_become_valid_batches_and_a_failed_batch_names_its_operation()
    {
        var table = await NewTableAsync();
        await table.SubmitInBatchesAsync(Enumerable.Range(0, 330).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity($"p{i % 3}", $"{i}"))), default);
        Assert.Equal(330, (await table.QueryAsync<TableEntity>(filter: (string?)null).ToListAsync()).Count);

        var conflict = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitBatchAsync(
            [.. new[] { "new-1", "3", "new-2" }.Select(rk => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p0", rk)))], default));
        Assert.Equal((409, 1), (conflict.Status, conflict.FailedTransactionActionIndex));
        Assert.Null(await new Tables(new StorageAccount(azurite.Connection)).GetAsync(table, "p0", "new-1"));
    }

    [Fact]
    public async Task A_lost_answer_makes_the_sdk_retry_something_that_already_happened()
    {
        // What the commit-unknown fault does, and why the stores cannot trust the retried answer: an
        // insert that committed comes back 409, an ETag update that committed comes back 412.
        var faults = new FaultInjectingTransport();
        var table = await NewTableAsync(new StoragePipelineOptions { Transport = faults, Delay = TimeSpan.FromMilliseconds(1) });
        int lost = 0;
        faults.Set(r => r.Method.Method is "POST" or "PUT" && Interlocked.Increment(ref lost) == 1 ? FaultInjectingTransport.Fault.CommitUnknown : FaultInjectingTransport.Fault.None);

        Assert.Null(await table.TryAddAsync(new TableEntity("p", "r") { ["v"] = 1L }, default));
        var stored = (await table.GetEntityAsync<TableEntity>("p", "r")).Value;
        Assert.Equal(1L, stored.GetInt64("v"));

        lost = 0;
        Assert.Null(await table.TryUpdateAsync(new TableEntity("p", "r") { ["v"] = 2L }, stored.ETag, TableUpdateMode.Replace, default));
        Assert.Equal(2L, (await table.GetEntityAsync<TableEntity>("p", "r")).Value.GetInt64("v"));
    }
}
