using System.Collections.Concurrent;
using Beacon.Domain.Fleet;
using Beacon.Storage.Stores;

namespace Beacon.Api.Fleet;

/// <summary>
/// Collects what accepted usage windows tell the fleet view, in memory, and writes it off the request
/// path: at most one merge per deployment per <see cref="WriteInterval"/> from this instance, so a
/// submit stays one conditional write and the fleet costs at most one extra write per deployment per
/// minute (docs/decisions/0011-vendor-console.md). A merge that fails is kept and tried again later.
/// </summary>
internal sealed class FleetRecorder(DeploymentStore store, TimeProvider time, ILogger<FleetRecorder> logger)
{
    public static readonly TimeSpan WriteInterval = TimeSpan.FromMinutes(1);

    /// <summary>Deployments tracked at once; past this, new ones wait until idle ones are forgotten (bounded memory).</summary>
    public const int MaxDeployments = 50_000;

    private readonly ConcurrentDictionary<(string OrgId, DeploymentKey Key), Slot> _slots = new();

    public void Observe(string orgId, DeploymentKey key, WindowObservation observation)
    {
        while (true)
        {
            if (!_slots.TryGetValue((orgId, key), out var slot))
            {
                if (_slots.Count >= MaxDeployments) return; // an indicator, not billing: dropped rather than unbounded
                slot = _slots.GetOrAdd((orgId, key), _ => new Slot());
            }
            lock (slot)
            {
                if (slot.Forgotten) continue; // removed between lookup and lock: take the new slot
                (slot.Pending ??= new DeploymentActivity()).Observe(observation);
                return;
            }
        }
    }

    /// <summary>Merges what is due (or, when <paramref name="all"/>, everything pending) into storage; returns how many deployments it wrote.</summary>
    public async Task<int> FlushAsync(bool all, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        int written = 0;
        foreach (var ((orgId, key), slot) in _slots)
        {
            DeploymentActivity pending;
            lock (slot)
            {
                if (slot.Pending is null)
                {
                    // Idle for a while: forget it, so memory follows the active fleet.
                    if (slot.LastWrite is not { } w || now - w > 10 * WriteInterval)
                    {
                        slot.Forgotten = true;
                        _slots.TryRemove((orgId, key), out _);
                    }
                    continue;
                }
                // (A clock that went back makes the slot due rather than stuck until it catches up.)
                if (!all && slot.LastWrite is { } last && now >= last && now - last < WriteInterval) continue;
                pending = slot.Pending;
                slot.Pending = null;
                slot.LastWrite = now;
            }
            try
            {
                await store.MergeAsync(orgId, key, pending, now, ct);
                written++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                lock (slot)
                {
                    if (slot.Pending is not null) pending.Absorb(slot.Pending);
                    slot.Pending = pending;
                }
                logger.LogWarning("The fleet record of a deployment of org {OrgId} was not written ({Error}); it is retried", orgId, e.GetType().Name);
            }
        }
        return written;
    }

    private sealed class Slot
    {
        public DeploymentActivity? Pending;
        public DateTimeOffset? LastWrite;
        public bool Forgotten;
    }
}
