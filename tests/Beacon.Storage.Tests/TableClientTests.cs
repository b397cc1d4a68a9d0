using Azure;
using Beacon.Storage.Client;

namespace Beacon.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class TableClientTests(AzuriteFixture azurite)
{
    private async Task<(StorageAccount Account, TableClient Table)> NewTableAsync()
    {
        var account = new StorageAccount(azurite.Endpoints);
        var table = account.GetTable(AzuriteFixture.UniqueName("t"));
        await table.CreateIfNotExistsAsync();
        await table.CreateIfNotExistsAsync(); // idempotent
        return (account, table);
    }

    [Fact]
    public async Task Insert_is_a_permanent_dedupe_primitive()
    {
        var (_, table) = await NewTableAsync();
        var first = await table.TryInsertAsync(new TableEntity("p", "r") { ["v"] = 1L });
        var second = await table.TryInsertAsync(new TableEntity("p", "r") { ["v"] = 2L });

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(1L, (await table.GetAsync("p", "r"))!.GetInt64("v"));
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.InsertAsync(new TableEntity("p", "r")));
        Assert.Equal(409, ex.Status);
    }

    [Fact]
    public async Task Conditional_update_fails_when_the_entity_changed_since_it_was_read()
    {
        var (_, table) = await NewTableAsync();
        var etag = (await table.TryInsertAsync(new TableEntity("p", "r") { ["v"] = 1L }))!.Value;

        var newer = await table.TryUpdateAsync(new TableEntity("p", "r") { ["v"] = 2L }, etag);
        var stale = await table.TryUpdateAsync(new TableEntity("p", "r") { ["v"] = 3L }, etag);

        Assert.NotNull(newer);
        Assert.Null(stale);
        var stored = await table.GetAsync("p", "r");
        Assert.Equal(2L, stored!.GetInt64("v"));
        Assert.Equal(newer, stored.ETag);
    }

    [Fact]
    public async Task Typed_properties_round_trip_exactly()
    {
        var (_, table) = await NewTableAsync();
        var when = new DateTimeOffset(2026, 3, 10, 9, 0, 0, 123, TimeSpan.Zero);
        await table.UpsertAsync(new TableEntity("p", "r")
        {
            ["big"] = long.MaxValue - 7, ["small"] = 42, ["text"] = "O'Brien | x", ["flag"] = true, ["ratio"] = 2.0, ["when"] = when,
        });

        var e = (await table.GetAsync("p", "r"))!;
        Assert.Equal(long.MaxValue - 7, e.GetInt64("big"));
        Assert.Equal(42, e.GetInt32("small"));
        Assert.Equal("O'Brien | x", e.GetString("text"));
        Assert.True(e.GetBool("flag"));
        Assert.Equal(2.0, e.GetDouble("ratio"));
        Assert.Equal(when, e.GetDateTime("when"));
        Assert.NotNull(e.Timestamp);
    }

    [Fact]
    public async Task Merge_keeps_other_properties_and_replace_drops_them()
    {
        var (_, table) = await NewTableAsync();
        await table.UpsertAsync(new TableEntity("p", "r") { ["a"] = "1", ["b"] = "2" });
        await table.UpsertAsync(new TableEntity("p", "r") { ["b"] = "3" }, TableUpdateMode.Merge);
        var merged = (await table.GetAsync("p", "r"))!;
        await table.UpsertAsync(new TableEntity("p", "r") { ["c"] = "4" });
        var replaced = (await table.GetAsync("p", "r"))!;

        Assert.Equal(("1", "3"), (merged.GetString("a"), merged.GetString("b")));
        Assert.False(replaced.Contains("a"));
        Assert.Equal("4", replaced.GetString("c"));
    }

    [Fact]
    public async Task Query_follows_continuation_tokens_across_pages_and_partitions()
    {
        var (account, table) = await NewTableAsync();
        for (int p = 0; p < 3; p++)
            for (int chunk = 0; chunk < 5; chunk++)
                await table.SubmitTransactionAsync([.. Enumerable.Range(chunk * 100, 100).Select(i =>
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity($"p{p}", $"r{i:D4}") { ["n"] = (long)i }))]);

        account.Metrics.Reset();
        var all = await table.QueryAsync(null, pageSize: 333).ToListAsync();
        var filtered = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {"p1"} and n ge {250L}"), columns: ["n"]).ToListAsync();

        Assert.Equal(1500, all.Count);
        Assert.Equal(1500, all.Select(e => (e.PartitionKey, e.RowKey)).Distinct().Count());
        Assert.Equal(250, filtered.Count);
        Assert.All(filtered, e => Assert.True(e.GetInt64("n") >= 250));
        Assert.Equal(1750, account.Metrics.EntitiesRead);
        Assert.True(account.Metrics.Requests >= 5, "333-entity pages over 1,500 entities need at least 5 requests");
    }

    [Fact]
    public async Task Filter_values_are_escaped_so_they_cannot_change_the_query()
    {
        var (_, table) = await NewTableAsync();
        await table.UpsertAsync(new TableEntity("p", "a") { ["name"] = "O'Brien" });
        await table.UpsertAsync(new TableEntity("p", "b") { ["name"] = "other" });

        var exact = await table.QueryAsync(TableFilter.Create($"name eq {"O'Brien"}")).ToListAsync();
        var injected = await table.QueryAsync(TableFilter.Create($"name eq {"x' or name ne 'x"}")).ToListAsync();

        Assert.Equal("a", Assert.Single(exact).RowKey);
        Assert.Empty(injected);
    }

    [Fact]
    public async Task Row_key_prefix_query_returns_exactly_the_prefixed_rows()
    {
        var (_, table) = await NewTableAsync();
        foreach (var rk in new[] { "project|a", "project|b", "projects", "project}", "user|a" })
            await table.UpsertAsync(new TableEntity("p", rk));

        var rows = await table.QueryAsync(TableFilter.RowKeyPrefix("p", "project|")).Select(e => e.RowKey).ToListAsync();

        Assert.Equal(["project|a", "project|b"], rows);
    }

    [Fact]
    public async Task Keys_with_reserved_url_characters_work_for_point_operations()
    {
        var (_, table) = await NewTableAsync();
        var pk = "org|20260310";
        var rk = "ws|proj~ab%c 'q'|00001741597200123456";
        await table.UpsertAsync(new TableEntity(pk, rk) { ["v"] = 1L });

        Assert.NotNull(await table.GetAsync(pk, rk));
        Assert.True(await table.DeleteAsync(pk, rk));
        Assert.Null(await table.GetAsync(pk, rk));
        Assert.False(await table.DeleteAsync(pk, rk));
    }

    [Fact]
    public async Task A_transaction_is_all_or_nothing_and_names_the_failing_operation()
    {
        var (_, table) = await NewTableAsync();
        await table.UpsertAsync(new TableEntity("p", "r2"));

        var ex = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "r1")),
            new(TableTransactionActionType.Add, new TableEntity("p", "r2")),
            new(TableTransactionActionType.Add, new TableEntity("p", "r3")),
        ]));

        Assert.Equal(409, ex.Status);
        Assert.Equal(1, ex.FailedIndex);
        Assert.Null(await table.GetAsync("p", "r1"));
        Assert.Null(await table.GetAsync("p", "r3"));
    }

    [Fact]
    public async Task Transactions_are_validated_before_they_are_sent()
    {
        var (_, table) = await NewTableAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
            [new(TableTransactionActionType.Add, new TableEntity("p1", "r")), new(TableTransactionActionType.Add, new TableEntity("p2", "r"))]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
            [.. Enumerable.Range(0, 101).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"r{i}")))]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
            [new(TableTransactionActionType.Add, new TableEntity("p", "r")), new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "r"))]));
        Assert.Empty(await table.QueryAsync(null).ToListAsync());
    }

    [Fact]
    public async Task Transactions_mix_upserts_conditional_updates_and_deletes()
    {
        var (_, table) = await NewTableAsync();
        var etag = (await table.TryInsertAsync(new TableEntity("p", "keep") { ["v"] = 1L }))!.Value;
        await table.UpsertAsync(new TableEntity("p", "gone"));

        await table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "keep") { ["v"] = 2L }, etag),
            new(TableTransactionActionType.Delete, new TableEntity("p", "gone")),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "new") { ["v"] = 3L }),
        ]);

        var rows = await table.QueryAsync(null).ToDictionaryAsync(e => e.RowKey, e => e.GetInt64("v"));
        Assert.Equal(new Dictionary<string, long> { ["keep"] = 2, ["new"] = 3 }, rows);
    }
}
