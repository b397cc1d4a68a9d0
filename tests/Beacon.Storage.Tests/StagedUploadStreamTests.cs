using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Beacon.Storage.Account;
using Beacon.Storage.Exports;

namespace Beacon.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class StagedUploadStreamTests(AzuriteFixture azurite)
{
    private async Task<BlobContainerClient> NewContainerAsync()
    {
        var container = new StorageAccount(azurite.Connection).BlobService.GetBlobContainerClient(AzuriteFixture.UniqueName("staged"));
        await container.CreateIfNotExistsAsync();
        return container;
    }

    private static async Task<string> WriteAsync(BlockBlobClient blob, string text, bool commit, int blockSize = 7)
    {
        await using var upload = new StagedUploadStream(blob, "text/plain", new Dictionary<string, string> { ["epoch"] = text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) }, blockSize);
        await upload.WriteAsync(Encoding.UTF8.GetBytes(text));
        if (commit) await upload.CommitAsync(default);
        return text;
    }

    private static async Task<string> ReadAsync(BlockBlobClient blob) => (await blob.DownloadContentAsync()).Value.Content.ToString();

    [Fact]
    public async Task A_committed_upload_has_exactly_what_was_written_with_its_metadata()
    {
        var blob = (await NewContainerAsync()).GetBlockBlobClient("a.csv");
        var text = string.Concat(Enumerable.Range(0, 50).Select(i => $"row {i}\r\n"));
        await WriteAsync(blob, text, commit: true);

        Assert.Equal(text, await ReadAsync(blob));
        var properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal(text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), properties.Metadata["epoch"]);
        Assert.Equal("text/plain", properties.ContentType);
    }

    [Fact]
    public async Task An_upload_that_is_not_committed_leaves_the_previous_file_untouched()
    {
        var blob = (await NewContainerAsync()).GetBlockBlobClient("a.csv");
        var old = await WriteAsync(blob, "the complete old file", commit: true);
        await WriteAsync(blob, "a new file that failed half-way through", commit: false);
        Assert.Equal(old, await ReadAsync(blob));
    }

    [Fact]
    public async Task Two_writers_of_one_blob_never_mix_their_blocks_the_later_commit_fails_instead()
    {
        var blob = (await NewContainerAsync()).GetBlockBlobClient("a.csv");
        // Both stage blocks before either commits. With shared block ids the second writer's blocks would
        // replace the first's and the first commit would publish a mix. With ids of their own, the first
        // commit publishes exactly its file, and the service then discards the other writer's blocks, so
        // the second commit fails instead of publishing anything.
        await using var a = new StagedUploadStream(blob, "text/plain", new Dictionary<string, string>(), 4);
        await using var b = new StagedUploadStream(blob, "text/plain", new Dictionary<string, string>(), 4);
        await a.WriteAsync(Encoding.UTF8.GetBytes("AAAAAAAAAAAA"));
        await b.WriteAsync(Encoding.UTF8.GetBytes("BBBBBBBBBBBB"));
        await a.CommitAsync(default);
        Assert.Equal("AAAAAAAAAAAA", await ReadAsync(blob));
        var refused = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => b.CommitAsync(default));
        Assert.Equal("InvalidBlockList", refused.ErrorCode);
        Assert.Equal("AAAAAAAAAAAA", await ReadAsync(blob));
    }
}
