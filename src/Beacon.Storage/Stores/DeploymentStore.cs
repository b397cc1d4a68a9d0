using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Azure.Data.Tables;
using Beacon.Domain.Fleet;

namespace Beacon.Storage.Stores;

/// <summary>
/// The fleet view's one entity per deployment (PK = org id, RK = credential|workspace|project), merged
/// from what instances observed (docs/decisions/0011-vendor-console.md). Listing the fleet reads one
/// entity per deployment, never the usage windows. Merges are read-modify-write under the ETag with
/// writer tokens (<see cref="Counter"/>), so concurrent instances and lost answers add nothing twice.
/// Each record also carries the state the fleet index lists it under (<see cref="IndexedState"/>): a merge
/// that brings a deployment (back) to reporting, and the sweep that finds it silent, change that state in
/// the record's own conditional write and then apply it to the index (docs/decisions/0015-fleet-paging.md).
/// Each record also carries its org's name and default workspace as of its last merge, so that a page of
/// the fleet reads no org: its cost is the same however many orgs the page spans (kept current by
/// <see cref="SetDefaultWorkspaceAsync"/>; an org's name never changes).
/// </summary>
public sealed class DeploymentStore(Tables tables, FleetIndexStore index, TimeProvider time, IDeploymentStateChanges? changes = null)
{
    /// <summary>How many notes the sweep reads at a time.</summary>
    private const int MaxNotesPerRead = 1_000;

    /// <summary>How many deployments the sweep checks at once (the counts they change are sharded, so they rarely meet on one entity).</summary>
    private const int SweepParallelism = 8;

    public async Task MergeAsync(Organization org, DeploymentKey key, DeploymentActivity observed, DateTimeOffset now, CancellationToken ct = default)
    {
        var orgId = org.OrgId;
        // Noted before the record: a crash after it still leaves the sweep a way to find the deployment, and
        // the license's latest report is never behind a deployment the listing already shows reporting.
        if (observed.LastReportAt is { } seen)
        {
            await index.MarkSeenAsync(orgId, key.RowKey, seen, ct);
            if (key.LicenseId is not null) await index.TouchLicenseAsync(key.LicenseId, seen, ct);
        }
        DateTimeOffset? before = null, after = null;
        var state = IndexedState.None;
        await Counter.UpdateAsync(tables, tables.Deployments, orgId, key.RowKey, stored =>
        {
            var activity = stored is null ? new DeploymentActivity() : Read(stored).Activity;
            before = activity.LastReportAt;
            activity.Absorb(observed);
            activity.Prune(now);
            after = activity.LastReportAt;
            state = FleetIndexStore.ReadState(stored);
            if (ReportingState.Of(after, now) is var live && live != ReportingState.Never) state = state.MoveTo(live);
            var e = ToEntity(org, key, activity);
            FleetIndexStore.WriteState(e, "", state);
            return e;
        }, ct);
        if (state.Pending) await ApplyAsync(orgId, key.RowKey, key.LicenseId, state, ct);
        if (before is { } b && after is { } a && FleetIndexStore.BucketKey(b) != FleetIndexStore.BucketKey(a))
            await index.UnmarkSeenAsync(orgId, key.RowKey, b, ct);
    }

    /// <summary>
    /// Moves deployments that stopped reporting to silent in the index: reads the notes of every 10-second
    /// bucket whose reports are all more than 660 s old and not swept yet (one range read, however long the
    /// sweep was not run), and checks each deployment against its record (it may have reported since).
    /// Returns how many deployments it found silent. Safe to run on several instances at once: the change
    /// is made in each record's conditional write.
    /// </summary>
    public async Task<int> SweepSilentAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var due = FleetIndexStore.BucketOf(now - ReportingState.SilentAfter) - FleetIndexStore.Bucket;
        var through = await index.SweptThroughAsync(ct);
        if (through > due)
        {
            // The clock went back (or another instance's runs ahead): sweep from here again; buckets already swept are empty.
            await index.SetSweptThroughAsync(due, ct, back: true);
            return 0;
        }
        int silenced = 0;
        while (true)
        {
            var batch = await index.SeenAsync(through, due, MaxNotesPerRead, ct);
            // Several at a time: a mass silence (an org's fleet going down together) is thousands of changes.
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = SweepParallelism, CancellationToken = ct }, async (note, token) =>
            {
                // The clock is read per deployment: a long sweep must not judge a fresh report by its start time.
                var (changedTo, last) = await RefreshStateAsync(note.Entry.OrgId, note.Entry.Row, time.GetUtcNow(), token);
                if (changedTo == ReportingState.Silent) Interlocked.Increment(ref silenced);
                // A deployment still reporting keeps a note at its latest report's bucket, so that a later sweep finds it.
                if (last is { } l && ReportingState.Of(l, time.GetUtcNow()) == ReportingState.Reporting)
                {
                    if (FleetIndexStore.BucketOf(l) == note.Bucket) return;
                    await index.MarkSeenAsync(note.Entry.OrgId, note.Entry.Row, l, token);
                }
                await index.UnmarkSeenAsync(note.Entry.OrgId, note.Entry.Row, note.Bucket, token);
            });
            if (batch.Count < MaxNotesPerRead) break;
            // Only whole buckets count as swept: a bucket cut by the read's limit is read again (its swept notes are gone).
            through = batch[^1].Bucket - FleetIndexStore.Bucket;
            await index.SetSweptThroughAsync(through.Value, ct);
        }
        await index.SetSweptThroughAsync(due, ct);
        return silenced;
    }

    /// <summary>Upgrade step: indexes an org's deployments recorded before the fleet index existed; returns how many.</summary>
    public async Task<int> IndexUnindexedAsync(string orgId, DateTimeOffset now, CancellationToken ct = default)
    {
        int indexed = 0;
        var rows = await tables.QueryAsync(tables.Deployments, TableClient.CreateQueryFilter($"PartitionKey eq {orgId}"), ["state_seq", "state_applied"], ct)
            .Where(e => (e.GetInt64("state_seq") ?? 0) == 0 || (e.GetInt64("state_applied") ?? 0) < (e.GetInt64("state_seq") ?? 0))
            .Select(e => e.RowKey).ToListAsync(ct);
        foreach (var row in rows)
            if ((await RefreshStateAsync(orgId, row, now, ct)).ChangedTo is not null) indexed++;
        return indexed;
    }

    /// <summary>
    /// Brings a deployment's indexed state to its live state: the state it changed to (null when none changed)
    /// and the deployment's last report (null when it has no record).
    /// </summary>
    private async Task<(string? ChangedTo, DateTimeOffset? LastReportAt)> RefreshStateAsync(string orgId, string row, DateTimeOffset now, CancellationToken ct)
    {
        for (int attempt = 0; attempt < 10; attempt++)
        {
            var stored = await tables.GetAsync(tables.Deployments, orgId, row, ct: ct);
            if (stored is null) return (null, null);
            var deployment = Read(stored);
            var state = FleetIndexStore.ReadState(stored);
            var live = ReportingState.Of(deployment.Activity.LastReportAt, now);
            var moved = live == ReportingState.Never ? state : state.MoveTo(live);
            if (moved == state)
            {
                if (!state.Pending) return (null, deployment.Activity.LastReportAt);
                await ApplyAsync(orgId, row, deployment.Key.LicenseId, state, ct);
                return (state.State, deployment.Activity.LastReportAt);
            }
            var e = new TableEntity(orgId, row);
            FleetIndexStore.WriteState(e, "", moved);
            if (await tables.Deployments.TryUpdateAsync(e, stored.ETag, TableUpdateMode.Merge, ct) is null) continue;
            await ApplyAsync(orgId, row, deployment.Key.LicenseId, moved, ct);
            return (moved.State, deployment.Activity.LastReportAt);
        }
        throw new Account.StorageContentionException("A deployment's record kept changing while the sweep read it.");
    }

    /// <summary>Applies a state change to the index, then records that it did (a crash in between is applied again by the next writer).</summary>
    private async Task ApplyAsync(string orgId, string row, string? licenseId, IndexedState state, CancellationToken ct)
    {
        await index.ApplyDeploymentAsync(orgId, row, licenseId, state, ct);
        // A later change (the sweep's and a merge's can meet) may have been applied while this one was: its
        // entries may then have been overwritten by this one's. The record has the latest state; the entries
        // are placed again until no change came in meanwhile (counts are per change and need nothing).
        for (var (seen, round) = (state, 0); round < 20; round++)
        {
            var current = FleetIndexStore.ReadState(await tables.GetAsync(tables.Deployments, orgId, row, ["state", "state_from", "state_seq", "state_applied"], ct));
            if (current.Seq == seen.Seq || current.State.Length == 0) break;
            await index.PlaceDeploymentAsync(orgId, row, licenseId, current.State, ct);
            seen = current;
        }
        // Told before the change is marked applied: a crash in between tells it again (listeners are idempotent by Seq).
        if (changes is not null) await changes.ChangedAsync(orgId, row, state, ct);
        var applied = new TableEntity(orgId, row) { ["state_applied"] = state.Seq };
        try
        {
            await tables.Deployments.UpdateEntityAsync(applied, ETag.All, TableUpdateMode.Merge, ct);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    /// <summary>
    /// After the org's default workspace changed: every record of the org without a workspace of its own gets
    /// the new default (one query of the org's records, then one merge each). Returns how many it changed.
    /// A merge that read the org just before the change may write the old default back; the next merge of
    /// that deployment (within a minute while it reports) writes the new one.
    /// </summary>
    public async Task<int> SetDefaultWorkspaceAsync(string orgId, string workspaceId, CancellationToken ct = default)
    {
        var rows = await tables.QueryAsync(tables.Deployments, TableClient.CreateQueryFilter($"PartitionKey eq {orgId} and workspace_id eq ''"), ["default_workspace_id"], ct)
            .Where(e => e.GetString("default_workspace_id") != workspaceId).Select(e => e.RowKey).ToListAsync(ct);
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = SweepParallelism, CancellationToken = ct }, async (row, token) =>
        {
            try
            {
                await tables.Deployments.UpdateEntityAsync(new TableEntity(orgId, row) { ["default_workspace_id"] = workspaceId }, ETag.All, TableUpdateMode.Merge, token);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }
        });
        return rows.Count;
    }

    /// <summary>One deployment's record; null when absent.</summary>
    public async Task<StoredDeployment?> GetAsync(string orgId, string row, CancellationToken ct = default) =>
        await tables.GetAsync(tables.Deployments, orgId, row, ct: ct) is { } e ? Read(e) : null;

    /// <summary>Every deployment, or an org's, or a license's (one entity each).</summary>
    public async Task<IReadOnlyList<StoredDeployment>> ListAsync(string? orgId = null, string? licenseId = null, CancellationToken ct = default)
    {
        var filters = new List<string>();
        if (orgId is not null) filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {orgId}"));
        if (licenseId is not null) filters.Add(TableClient.CreateQueryFilter($"license_id eq {licenseId}"));
        var filter = filters.Count == 0 ? "" : string.Join(" and ", filters);
        return await tables.QueryAsync(tables.Deployments, filter, ct: ct).Select(Read).ToListAsync(ct);
    }

    private static TableEntity ToEntity(Organization org, DeploymentKey key, DeploymentActivity a) => new(org.OrgId, key.RowKey)
    {
        ["org_name"] = org.Name,
        ["default_workspace_id"] = org.DefaultWorkspaceId ?? "",
        ["credential_kind"] = key.CredentialKind,
        ["credential_id"] = key.CredentialId,
        ["license_id"] = key.LicenseId ?? "",
        ["workspace_id"] = key.WorkspaceId,
        ["project_id"] = key.ProjectId,
        ["first_report_at"] = a.FirstReportAt,
        ["last_report_at"] = a.LastReportAt,
        ["latest_to_us"] = a.LatestToMicros,
        ["client"] = JsonSerializer.Serialize(a.Client, StorageJson.Default.IReadOnlyDictionaryStringString),
        ["features"] = JsonSerializer.Serialize(a.Features, StorageJson.Default.IReadOnlyDictionaryStringString),
        ["gauges"] = JsonSerializer.Serialize(a.Gauges, StorageJson.Default.IReadOnlyDictionaryStringDouble),
        ["chains"] = JsonSerializer.Serialize([.. a.Chains.Select(c => new long[] { c.FirstFromMicros, c.LastFromMicros, c.HeadMicros, c.LastSeenAt.ToUnixTimeMilliseconds() })], StorageJson.Default.Int64ArrayArray),
        ["hours"] = JsonSerializer.Serialize(a.Hours.ToDictionary(h => h.Key.ToString(CultureInfo.InvariantCulture), h => new[] { h.Value.Runs, h.Value.Nodes }), StorageJson.Default.DictionaryStringInt64Array),
    };

    private static StoredDeployment Read(TableEntity e)
    {
        var key = new DeploymentKey(e.GetString("credential_kind") ?? "", e.GetString("credential_id") ?? "", e.GetString("workspace_id") ?? "", e.GetString("project_id") ?? "");
        var activity = DeploymentActivity.Restore(
            e.GetDateTimeOffset("first_report_at"),
            e.GetDateTimeOffset("last_report_at"),
            e.GetInt64("latest_to_us") ?? long.MinValue,
            Json(e, "client", StorageJson.Default.DictionaryStringString),
            Json(e, "features", StorageJson.Default.DictionaryStringString),
            Json(e, "gauges", StorageJson.Default.DictionaryStringDouble),
            Json(e, "chains", StorageJson.Default.ListInt64Array).Select(c => new ReplicaChain(c[0], c[1], c[2], DateTimeOffset.FromUnixTimeMilliseconds(c[3]))),
            Json(e, "hours", StorageJson.Default.DictionaryStringInt64Array).Select(h => KeyValuePair.Create(long.Parse(h.Key, CultureInfo.InvariantCulture), (h.Value[0], h.Value[1]))));
        // (Records merged before they carried their org's facts have none: the view reads the org for them.)
        var facts = e.GetString("org_name") is { } name ? new DeploymentOrg(name, e.GetString("default_workspace_id") ?? "") : null;
        return new StoredDeployment(e.PartitionKey, key, activity, facts);
    }

    private static T Json<T>(TableEntity e, string name, JsonTypeInfo<T> info) where T : new() =>
        e.GetString(name) is { Length: > 0 } text ? JsonSerializer.Deserialize(text, info) ?? new T() : new T();
}
