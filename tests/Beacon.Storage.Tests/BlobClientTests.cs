using System.Text;
using Beacon.Storage.Client;

namespace Beacon.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class BlobClientTests(AzuriteFixture azurite)
{
    private async Task<BlobContainerClient> NewContainerAsync()
    {
        var container = new StorageAccount(azurite.Endpoints).GetContainer(AzuriteFixture.UniqueName("c"));
        await container.CreateIfNotExistsAsync();
        await container.CreateIfNotExistsAsync();
        return container;
    }

    [Fact]
    public async Task Put_and_download_round_trip_content_and_metadata()
    {
        var container = await NewContainerAsync();
        await container.PutAsync("a/b.json", Encoding.UTF8.GetBytes("{\"x\":1}"), "application/json", new Dictionary<string, string> { ["epoch"] = "7" });

        await using var download = (await container.DownloadAsync("a/b.json"))!;
        using var reader = new StreamReader(download.Content);

        Assert.Equal("{\"x\":1}", await reader.ReadToEndAsync());
        Assert.Equal("7", download.Properties.Metadata["epoch"]);
        Assert.Equal("application/json", download.Properties.ContentType);
        Assert.Null(await container.DownloadAsync("missing"));
        Assert.Null(await container.GetPropertiesAsync("missing"));
    }

    [Fact]
    public async Task Conditions_protect_against_lost_updates()
    {
        var container = await NewContainerAsync();
        var v1 = await container.PutAsync("k", "1"u8.ToArray(), "text/plain", condition: BlobCondition.CreateOnly);
        var again = await container.PutAsync("k", "2"u8.ToArray(), "text/plain", condition: BlobCondition.CreateOnly);
        var v2 = await container.PutAsync("k", "3"u8.ToArray(), "text/plain", condition: BlobCondition.Matching(v1!.Value));
        var stale = await container.PutAsync("k", "4"u8.ToArray(), "text/plain", condition: BlobCondition.Matching(v1.Value));

        Assert.Null(again);
        Assert.NotNull(v2);
        Assert.Null(stale);
        await using var d = (await container.DownloadAsync("k"))!;
        Assert.Equal("3", await new StreamReader(d.Content).ReadToEndAsync());
    }

    [Fact]
    public async Task A_block_upload_is_invisible_until_committed_and_then_complete()
    {
        var container = await NewContainerAsync();
        var data = Enumerable.Range(0, 10_000).Select(i => (byte)(i % 251)).ToArray();
        await using var writer = container.OpenWrite("big.bin", "application/octet-stream", blockSize: 1024);
        for (int i = 0; i < data.Length; i += 700) await writer.WriteAsync(data.AsMemory(i, Math.Min(700, data.Length - i)));

        Assert.Null(await container.GetPropertiesAsync("big.bin"));
        await writer.CommitAsync();

        await using var d = (await container.DownloadAsync("big.bin"))!;
        using var copy = new MemoryStream();
        await d.Content.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
    }

    [Fact]
    public async Task List_returns_the_names_under_a_prefix()
    {
        var container = await NewContainerAsync();
        foreach (var n in new[] { "x/1", "x/2", "y/1" }) await container.PutAsync(n, "."u8.ToArray(), "text/plain");

        Assert.Equal(["x/1", "x/2"], await container.ListAsync("x/").ToListAsync());
        Assert.True(await container.DeleteAsync("x/1"));
        Assert.Equal(["x/2"], await container.ListAsync("x/").ToListAsync());
    }

    [Fact]
    public async Task Only_one_holder_gets_a_lease_until_it_is_released()
    {
        var container = await NewContainerAsync();
        await container.PutAsync("lock", Array.Empty<byte>(), "text/plain");

        var first = await container.AcquireLeaseAsync("lock", TimeSpan.FromSeconds(15));
        var second = await container.AcquireLeaseAsync("lock", TimeSpan.FromSeconds(15));
        Assert.NotNull(first);
        Assert.Null(second);
        Assert.True(await container.RenewLeaseAsync("lock", first!));
        Assert.False(await container.RenewLeaseAsync("lock", Guid.NewGuid().ToString()));

        await container.ReleaseLeaseAsync("lock", first!);
        Assert.NotNull(await container.AcquireLeaseAsync("lock", TimeSpan.FromSeconds(15)));
    }
}
