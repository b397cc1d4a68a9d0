using Beacon.Storage.Account;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Beacon.Domain.Query;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;
using Beacon.Storage.Query;
using Beacon.Storage.Rollups;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Exports;

/// <summary>
/// CSV exports for the dashboard's presets (last 7, 30, 90, 180 and 365 days up to the last closed UTC
/// day; every kind, grouping and tier filter; all of the org's workspaces), written to Blob Storage by
/// the timer with the same writer as the live endpoint. A staged file is served only when it is
/// certain to be byte-identical to the live answer: same query (it is found by a name derived from
/// the query), same rollup epoch, same names, and no dirty day in its range.
/// </summary>
public sealed class StagedExports(Tables tables, UsageQueryEngine engine, DirectoryStore directory, RollupStore rollups, UsageCsvWriter csv)
{
    public static readonly int[] PresetDays = [7, 30, 90, 180, 365];

    /// <summary>
    /// Upload blocks of 1 MiB: a range's presets (up to fifteen) are written side by side, and each upload holds
    /// one block in memory. Block blobs take 50,000 blocks, so a file may still reach 50 GB.
    /// </summary>
    private const int StagingBlockSize = 1024 * 1024;

    private const string EpochKey = "epoch";
    private const string NamesKey = "names";
    private const string DefaultKey = "default_workspace";

    public static IEnumerable<UsageQuery> Presets(DateOnly end, IReadOnlyList<string> workspaceIds)
    {
        foreach (var days in PresetDays)
        {
            long start = Timestamps.StartOfDay(end.AddDays(-days)), stop = Timestamps.StartOfDay(end);
            foreach (var g in new[] { GroupBy.Workspace, GroupBy.Project, GroupBy.User, GroupBy.ApiKey, GroupBy.TraceTier })
                foreach (var tier in new TraceTier?[] { null, TraceTier.Longlived, TraceTier.Shortlived })
                    yield return new UsageQuery(UsageKind.Traces, g, tier, start, stop, workspaceIds);
            foreach (var g in new[] { GroupBy.Workspace, GroupBy.Project, GroupBy.User, GroupBy.ApiKey })
                yield return new UsageQuery(UsageKind.Deployments, g, null, start, stop, workspaceIds);
        }
    }

    /// <summary>
    /// Restages the org's presets when the data (rollup epoch) or the presets' end day changed since they
    /// were last staged, and records that in progress once every preset is staged; returns how many files
    /// were written.
    /// </summary>
    public async Task<(int Written, int Waiting)> StageIfChangedAsync(string orgId, DateOnly presetEnd, CancellationToken ct)
    {
        var defaultWorkspace = await directory.GetDefaultWorkspaceAsync(orgId, ct) ?? throw new InvalidOperationException($"No organization {orgId}.");
        var coverage = await engine.GetCoverageAsync(orgId, defaultWorkspace, ct);
        if (coverage.Progress is not { } progress || (progress.StagedEnd == presetEnd && progress.StagedEpoch == progress.Epoch)) return (0, 0);
        var (written, waiting) = await StageAsync(orgId, presetEnd, progress.Epoch, coverage, defaultWorkspace, ct);
        if (waiting > 0) return (written, waiting); // the run that clears those days' marks stages the rest
        _ = await rollups.TrySaveProgressAsync(orgId, progress with { StagedEnd = presetEnd, StagedEpoch = progress.Epoch }, progress, ct)
            ?? throw new StorageContentionException($"Rollup progress of org {orgId} changed while its exports were staged.");
        return (written, 0);
    }

    /// <summary>
    /// Writes the org's presets and removes staged files of earlier presets. A preset whose range has a
    /// dirty day is left for a later run: <see cref="TryOpenAsync"/> would never serve it while the day is
    /// dirty, and computing it would read the range's raw records (on a demo's first run, 95 raw reads of
    /// up to a year). Returns how many files were written and how many presets wait.
    /// </summary>
    public async Task<(int Written, int Waiting)> StageAsync(string orgId, DateOnly end, long epoch, RollupCoverage coverage, DefaultWorkspace defaultWorkspace, CancellationToken ct)
    {
        var workspaces = (await directory.ListWorkspacesAsync(orgId, ct)).Select(w => w.WorkspaceId).Order(StringComparer.Ordinal).ToList();
        var written = new HashSet<string>(StringComparer.Ordinal);
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        if (workspaces.Count > 0)
        {
            var names = new Dictionary<GroupBy, DimensionNames>();
            // The presets of one kind and range differ only in grouping and tier: they are written side by side
            // from one read of the range (UsageQueryEngine.RunTogetherAsync) instead of one read each.
            foreach (var family in Presets(end, workspaces).GroupBy(q => (q.Kind, q.StartDay, q.EndDay)))
            {
                var queries = family.ToList();
                if (coverage.AnyDirty(family.Key.StartDay, family.Key.EndDay))
                {
                    foreach (var q in queries) waiting.Add(BlobName(orgId, q));
                    continue;
                }
                foreach (var q in queries)
                    if (!names.ContainsKey(q.GroupBy)) names[q.GroupBy] = await DimensionNames.LoadAsync(directory, orgId, q.GroupBy, ct);
                // A failure part-way leaves every file of the range uncommitted, so nothing half-written is ever
                // served; the writers hold only managed buffers, so abandoning them needs no cleanup.
                var uploads = new List<StagedUploadStream>();
                var files = new List<UsageCsvFile>();
                foreach (var q in queries)
                {
                    var n = names[q.GroupBy];
                    var upload = new StagedUploadStream(tables.Exports.GetBlockBlobClient(BlobName(orgId, q)), "text/csv; charset=utf-8", new Dictionary<string, string>
                    {
                        [EpochKey] = epoch.ToString(CultureInfo.InvariantCulture), [NamesKey] = n.Fingerprint(), [DefaultKey] = defaultWorkspace.WorkspaceId,
                    }, StagingBlockSize);
                    uploads.Add(upload);
                    files.Add(await csv.StartAsync(upload, q, n.Label));
                }
                await engine.RunTogetherAsync(orgId, queries, coverage, defaultWorkspace, (i, record) => files[i].WriteAsync(record), ct);
                for (int i = 0; i < queries.Count; i++)
                {
                    await files[i].DisposeAsync(); // the last rows reach the upload
                    await uploads[i].CommitAsync(ct);
                    written.Add(BlobName(orgId, queries[i]));
                }
            }
        }
        await foreach (var old in tables.Exports.GetBlobsAsync(BlobTraits.None, BlobStates.None, orgId + "/", ct))
            if (!written.Contains(old.Name) && !waiting.Contains(old.Name)) await tables.Exports.DeleteBlobIfExistsAsync(old.Name, cancellationToken: ct);
        return (written.Count, waiting.Count);
    }

    /// <summary>The staged file for exactly this query, if it is still exactly the live answer; otherwise null.</summary>
    public async Task<StagedFile?> TryOpenAsync(string orgId, UsageQuery query, DimensionNames names, RollupCoverage coverage, DefaultWorkspace defaultWorkspace, CancellationToken ct)
    {
        if (coverage.Progress is not { } progress || !coverage.Current || coverage.AnyDirty(query.StartDay, query.EndDay)) return null;
        if (query.EndDay.AddDays(-1) > progress.RolledThrough) return null;
        BlobDownloadStreamingResult download;
        try
        {
            download = await tables.Exports.GetBlobClient(BlobName(orgId, query)).DownloadStreamingAsync(cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        var meta = download.Details.Metadata;
        if (meta.TryGetValue(EpochKey, out var epoch) && epoch == progress.Epoch.ToString(CultureInfo.InvariantCulture)
            && meta.TryGetValue(NamesKey, out var fingerprint) && fingerprint == names.Fingerprint()
            && meta.TryGetValue(DefaultKey, out var stagedDefault) && stagedDefault == defaultWorkspace.WorkspaceId)
            return new StagedFile(download.Content, download.Details.ContentLength);
        await download.Content.DisposeAsync();
        return null;
    }

    /// <summary>Derived from everything that defines the answer, so only an identical query finds it.</summary>
    public static string BlobName(string orgId, UsageQuery q)
    {
        var workspaces = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', q.WorkspaceIds))))[..24];
        var tier = q.Kind == UsageKind.Traces && q.TierFilter is { } t ? UsageNames.Of(t) : "all";
        return $"{orgId}/{Timestamps.DayKey(q.StartDay)}-{Timestamps.DayKey(q.EndDay)}/{UsageNames.Of(q.Kind)}/{WireNames.Of(q.GroupBy)}/{tier}/{workspaces}.csv";
    }
}
