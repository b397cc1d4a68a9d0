using Azure.Storage.Blobs;
using Beacon.Storage.Account;
using Beacon.Storage.Maintenance;

namespace Beacon.Storage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class BlobLeaseTests(AzuriteFixture azurite)
{
    private async Task<BlobContainerClient> NewContainerAsync(StoragePipelineOptions? options = null)
    {
        var container = new StorageAccount(azurite.Connection, options).BlobService.GetBlobContainerClient(AzuriteFixture.UniqueName("lease"));
        await container.CreateIfNotExistsAsync();
        return container;
    }

    [Fact]
    public async Task One_holder_at_a_time_and_a_release_frees_it_at_once()
    {
        var container = await NewContainerAsync();
        var first = await BlobLease.TryAcquireAsync(container.GetBlobClient("lock"), TimeSpan.FromSeconds(15), default);
        Assert.NotNull(first);
        Assert.Null(await BlobLease.TryAcquireAsync(container.GetBlobClient("lock"), TimeSpan.FromSeconds(15), default));

        await first.DisposeAsync();
        await using var second = await BlobLease.TryAcquireAsync(container.GetBlobClient("lock"), TimeSpan.FromSeconds(15), default);
        Assert.NotNull(second);
        Assert.False(second.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task A_holder_whose_renewals_cannot_get_through_gives_up_before_the_lease_can_expire()
    {
        var faults = new FaultInjectingTransport();
        var container = await NewContainerAsync(new StoragePipelineOptions { Transport = faults, Delay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(50) });
        await using var lease = await BlobLease.TryAcquireAsync(container.GetBlobClient("lock"), TimeSpan.FromSeconds(15), default);
        var acquiredAt = DateTimeOffset.UtcNow;
        // Every renewal is throttled, retried, throttled again: the holder must stop on its own.
        faults.Set(r => r.Uri.Query.Contains("comp=lease", StringComparison.Ordinal) ? FaultInjectingTransport.Fault.ServerBusy : FaultInjectingTransport.Fault.None);

        await Task.Delay(Timeout.Infinite, lease!.Lost).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(30));
        var gaveUpAfter = DateTimeOffset.UtcNow - acquiredAt;

        Assert.True(gaveUpAfter < TimeSpan.FromSeconds(15), $"gave up after {gaveUpAfter}");
        Assert.True(faults.Injected > 0);
    }
}
