using Azure.Storage.Blobs;
using Microsoft.Extensions.Time.Testing;
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
        var first = await BlobLease.TryAcquireAsync(container.GetBlobClient("lock"), TimeSpan.FromSeconds(15), TimeProvider.System, default);
        Assert.NotNull(first);
        Assert.Null(await BlobLease.TryAcquireAsync(container.GetBlobClient("lock"), TimeSpan.FromSeconds(15), TimeProvider.System, default));

        await first.DisposeAsync();
        await using var second = await BlobLease.TryAcquireAsync(container.GetBlobClient("lock"), TimeSpan.FromSeconds(15), TimeProvider.System, default);
        Assert.NotNull(second);
        Assert.False(second.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task A_holder_whose_renewals_are_refused_gives_up_at_the_first_refusal()
    {
        var clock = new FakeTimeProvider();
        var start = clock.GetUtcNow();
        var faults = new FaultInjectingTransport();
        var container = await NewContainerAsync(new StoragePipelineOptions { Transport = faults, Delay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(50) });
        await using var lease = await BlobLease.TryAcquireAsync(container.GetBlobClient("lock"), TimeSpan.FromSeconds(15), clock, default);
        // Every renewal is throttled, retried, throttled again.
        faults.Set(r => IsRenewal(r) ? FaultInjectingTransport.Fault.ServerBusy : FaultInjectingTransport.Fault.None);

        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(lease!.Lost.IsCancellationRequested);
        clock.Advance(TimeSpan.FromSeconds(0.1)); // the first renewal: a third of the lease
        // The renewal and the SDK's retries run in real time (50 ms apart); the lease's clock stays at 5 s.
        await Task.Delay(Timeout.Infinite, lease.Lost).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(faults.Injected > 1); // retried before giving up
        Assert.Equal(TimeSpan.FromSeconds(5), clock.GetUtcNow() - start); // gave up at once, not at the deadline
    }

    [Fact]
    public async Task A_holder_whose_renewal_never_answers_gives_up_before_the_lease_can_expire()
    {
        var clock = new FakeTimeProvider();
        var faults = new FaultInjectingTransport { SlowFor = Timeout.InfiniteTimeSpan };
        var container = await NewContainerAsync(new StoragePipelineOptions { Transport = faults });
        await using var lease = await BlobLease.TryAcquireAsync(container.GetBlobClient("lock"), TimeSpan.FromSeconds(15), clock, default);
        // The renewal is sent and hangs: another instance may take the lease once 15 s have passed since the
        // acquire was sent, so the holder must stop first, with a margin (a sixth of the lease).
        faults.Set(r => IsRenewal(r) ? FaultInjectingTransport.Fault.Slow : FaultInjectingTransport.Fault.None);

        clock.Advance(TimeSpan.FromSeconds(5));
        // The renewal is sent on the thread pool once its timer fires; this waits for it (a timeout, not a clock).
        for (var sent = DateTime.UtcNow; faults.Injected == 0; await Task.Delay(10))
            Assert.True(DateTime.UtcNow - sent < TimeSpan.FromSeconds(30), "The renewal was never sent.");
        clock.Advance(TimeSpan.FromSeconds(7.4));
        Assert.False(lease!.Lost.IsCancellationRequested);
        clock.Advance(TimeSpan.FromSeconds(0.1));

        Assert.True(lease.Lost.IsCancellationRequested); // at 12.5 s: 15 s less the margin
    }

    [Fact]
    public async Task A_release_that_cannot_get_through_neither_fails_the_holder_nor_outlasts_the_lease()
    {
        var clock = new FakeTimeProvider();
        var faults = new FaultInjectingTransport { SlowFor = Timeout.InfiniteTimeSpan };
        var container = await NewContainerAsync(new StoragePipelineOptions { Transport = faults, Delay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(50) });

        // Every try times out: the SDK gives up with an AggregateException, which the release must not throw.
        var timedOut = await BlobLease.TryAcquireAsync(container.GetBlobClient("a"), TimeSpan.FromSeconds(15), clock, default);
        faults.Set(r => IsRelease(r) ? FaultInjectingTransport.Fault.Timeout : FaultInjectingTransport.Fault.None);
        await timedOut!.DisposeAsync();
        Assert.True(faults.Injected > 1);

        // The release hangs: it is given up once the lease would have ended anyway.
        var hung = await BlobLease.TryAcquireAsync(container.GetBlobClient("b"), TimeSpan.FromSeconds(15), clock, default);
        var before = faults.Injected;
        faults.Set(r => IsRelease(r) ? FaultInjectingTransport.Fault.Slow : FaultInjectingTransport.Fault.None);
        var disposing = hung!.DisposeAsync().AsTask();
        // The release is sent on the thread pool; this waits for it (a timeout, not a clock).
        for (var sent = DateTime.UtcNow; faults.Injected == before; await Task.Delay(10))
            Assert.True(DateTime.UtcNow - sent < TimeSpan.FromSeconds(30), "The release was never sent.");
        clock.Advance(TimeSpan.FromSeconds(14.9));
        Assert.False(disposing.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        await disposing.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static bool IsRenewal(Azure.Core.Request r) => LeaseAction(r) == "renew";

    private static bool IsRelease(Azure.Core.Request r) => LeaseAction(r) == "release";

    private static string? LeaseAction(Azure.Core.Request r) =>
        r.Uri.Query.Contains("comp=lease", StringComparison.Ordinal) && r.Headers.TryGetValue("x-ms-lease-action", out var action) ? action : null;
}
