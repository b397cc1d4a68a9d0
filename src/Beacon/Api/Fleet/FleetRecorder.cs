using Beacon.Settings;
using System.Collections.Concurrent;
using Beacon.Domain.Fleet;
using Beacon.Storage.Stores;
using Microsoft.Extensions.Options;

namespace Beacon.Api.Fleet;

/// <summary>
/// Collects what accepted usage windows tell the fleet view, in memory, and writes it off the request
/// path: at most one merge per deployment per <see cref="WriteInterval"/> from this instance, so a
/// submit stays one conditional write and the fleet costs at most one extra write per deployment per
/// minute (docs/decisions/0011-vendor-console.md). A merge that fails is kept and tried again later.
/// Memory is bounded per org and in all (<see cref="BeaconOptions.FleetMaxDeployments"/>), and
/// fairly: an org never tracks more than its cap, and every org keeps a share even when the recorder is
/// full, so one org's flood of new deployments cannot hide another org's (SPEC §15).
/// </summary>
internal sealed class FleetRecorder(DeploymentStore store, DirectoryStore directory, TimeProvider time, IOptions<BeaconOptions> options, ILogger<FleetRecorder> logger)
{
    public static readonly TimeSpan WriteInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string OrgId, DeploymentKey Key), Slot> _slots = new();
    private readonly ConcurrentDictionary<string, int> _perOrg = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _refused = new(StringComparer.Ordinal);

    public void Observe(string orgId, DeploymentKey key, WindowObservation observation)
    {
        while (true)
        {
            if (!_slots.TryGetValue((orgId, key), out var slot) && !TryAdd(orgId, key, out slot))
            {
                // An indicator, not billing: refused rather than unbounded, counted, and logged at the next flush.
                _refused.AddOrUpdate(orgId, 1, (_, n) => n + 1);
                return;
            }
            lock (slot)
            {
                if (slot.Forgotten) continue; // removed between lookup and lock: take the new slot
                (slot.Pending ??= new DeploymentActivity()).Observe(observation);
                return;
            }
        }
    }

    /// <summary>A new slot for (org, deployment) when the org is under its cap and the recorder has room or the org is under its share.</summary>
    private bool TryAdd(string orgId, DeploymentKey key, out Slot slot)
    {
        var o = options.Value;
        slot = null!;
        // Reserve the org's count first, so concurrent adds cannot overshoot its cap.
        int count = _perOrg.AddOrUpdate(orgId, 1, (_, n) => n + 1);
        if (count > o.FleetMaxDeploymentsPerOrg || (_slots.Count >= o.FleetMaxDeployments && count > o.FleetSharePerOrg))
        {
            Release(orgId);
            return false;
        }
        var created = new Slot();
        slot = _slots.GetOrAdd((orgId, key), created);
        if (!ReferenceEquals(slot, created)) Release(orgId); // another request added it first: it was counted once
        return true;
    }

    private void Release(string orgId) => _perOrg.AddOrUpdate(orgId, 0, (_, n) => Math.Max(0, n - 1));

    /// <summary>How many deployments' merges a flush writes at once: a flush of a big fleet must finish well within a minute.</summary>
    internal const int FlushParallelism = 8;

    /// <summary>Merges what is due (or, when <paramref name="all"/>, everything pending) into storage; returns how many deployments it wrote.</summary>
    public async Task<int> FlushAsync(bool all, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var due = new List<(string OrgId, DeploymentKey Key, Slot Slot, DeploymentActivity Pending)>();
        foreach (var ((orgId, key), slot) in _slots)
        {
            lock (slot)
            {
                if (slot.Pending is null)
                {
                    // Idle for a while: forget it, so memory follows the active fleet.
                    if (slot.LastWrite is not { } w || now - w > 10 * WriteInterval)
                    {
                        slot.Forgotten = true;
                        if (_slots.TryRemove((orgId, key), out _)) Release(orgId);
                    }
                    continue;
                }
                // (A clock that went back makes the slot due rather than stuck until it catches up.)
                if (!all && slot.LastWrite is { } last && now >= last && now - last < WriteInterval) continue;
                due.Add((orgId, key, slot, slot.Pending));
                slot.Pending = null;
                slot.LastWrite = now;
            }
        }

        // Each deployment is in the list once, so no two merges of one record race here; merges of one
        // license's deployments meet at its counter, whose conditional writes retry.
        // Each record carries its org's name and default workspace (so a fleet page reads no org): one read per org per flush.
        int written = 0;
        var orgs = new ConcurrentDictionary<string, Lazy<Task<Organization>>>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = FlushParallelism }, async (d, _) =>
        {
            try
            {
                var org = await orgs.GetOrAdd(d.OrgId, id => new(async () =>
                    await directory.GetOrgAsync(id, ct) ?? throw new InvalidOperationException($"No organization {id}."))).Value;
                await store.MergeAsync(org, d.Key, d.Pending, now, ct);
                Interlocked.Increment(ref written);
            }
            catch (Exception e)
            {
                // Kept for the next flush, also when the flush is cancelled (every merge not yet written
                // gives its observations back, so stopping loses nothing that a later flush can write).
                lock (d.Slot)
                {
                    if (d.Slot.Pending is not null) d.Pending.Absorb(d.Slot.Pending);
                    d.Slot.Pending = d.Pending;
                }
                if (e is not OperationCanceledException || !ct.IsCancellationRequested)
                    logger.LogWarning("The fleet record of a deployment of org {OrgId} was not written ({Error}); it is retried", d.OrgId, e.GetType().Name);
            }
        });
        ct.ThrowIfCancellationRequested();
        foreach (var orgId in _refused.Keys)
        {
            if (_refused.TryRemove(orgId, out var refused))
                logger.LogWarning("{Count} window observations of org {OrgId} were not recorded in the fleet view: the org is at its share of the fleet recorder", refused, orgId);
        }
        return written;
    }

    /// <summary>
    /// Every 10 s, moves deployments that stopped reporting to silent in the fleet index (and so their
    /// licenses, and the counts per state): within 680 s of a deployment's last report. Returns how many it
    /// found silent.
    /// </summary>
    public async Task<int> SweepIfDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_slots)
        {
            if (_lastSweep is { } last && now >= last && now - last < FleetIndexStore.Bucket) return 0;
            _lastSweep = now;
        }
        try
        {
            return await store.SweepSilentAsync(now, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning("The fleet's silence sweep stopped early ({Error}); it goes on at the next minute", e.GetType().Name);
            return 0;
        }
    }

    private DateTimeOffset? _lastSweep;

    private sealed class Slot
    {
        public DeploymentActivity? Pending;
        public DateTimeOffset? LastWrite;
        public bool Forgotten;
    }
}
