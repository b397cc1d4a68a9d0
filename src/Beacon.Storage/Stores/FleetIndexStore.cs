using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Beacon.Domain.Fleet;

namespace Beacon.Storage.Stores;

/// <summary>
/// The fleet index (docs/decisions/0015-fleet-paging.md): what lets an operator page the fleet at a cost
/// that does not grow with it (SPEC §15). For each scope (<c>all</c>, <c>o:org</c>, <c>l:license</c>) and
/// state, one partition lists the deployments (kind <c>d</c>) or licenses (kind <c>l</c>) in that state,
/// keyed <c>org|row</c>; a page is one range read. Counts per state live in counter entities changed with
/// each state change, never counted by a scan. Changes are applied idempotently (tokens derived from the
/// change's sequence number), so a change applied twice after a crash counts once.
/// </summary>
public sealed class FleetIndexStore(Tables tables)
{
    public const string Deployments = "d";
    public const string Licenses = "l";
    private const string CountsPartition = "counts";
    private const string ActivityPartition = "license-activity";
    private const string SweepPartition = "sweep";

    public static string AllScope => "all";
    public static string OrgScope(string orgId) => "o:" + orgId;
    public static string LicenseScope(string licenseId) => "l:" + licenseId;

    /// <summary>Moves a deployment's index entries and counts from <c>state.From</c> to <c>state.State</c>; then the license's, when that changes its state.</summary>
    public async Task ApplyDeploymentAsync(string orgId, string row, string? licenseId, IndexedState state, CancellationToken ct)
    {
        var key = orgId + "|" + row;
        foreach (var scope in Scopes(orgId, licenseId))
            await MoveAsync(Deployments, scope, key, state, $"{key}|{state.Seq}", ct, scope == AllScope || scope.StartsWith("o:", StringComparison.Ordinal) ? null : FollowLicense);
        if (licenseId is null) return;
        var license = ReadState(await tables.GetAsync(tables.FleetIndex, CountsPartition, Deployments + "|" + LicenseScope(licenseId), ct: ct), "license_");
        if (!license.Pending) return;
        await ApplyLicenseAsync(orgId, licenseId, license, ct);
        // As for deployments: a later change of the license applied meanwhile must not stay overwritten by this one's entries.
        for (var (seen, round) = (license, 0); round < 20; round++)
        {
            var current = ReadState(await tables.GetAsync(tables.FleetIndex, CountsPartition, Deployments + "|" + LicenseScope(licenseId), ct: ct), "license_");
            if (current.Seq == seen.Seq || current.State.Length == 0) break;
            foreach (var scope in new[] { AllScope, OrgScope(orgId) }) await PlaceAsync(Licenses, scope, orgId + "|" + licenseId, current.State, ct);
            seen = current;
        }
    }

    /// <summary>
    /// A license's state follows its deployments' counts; it is decided in the same conditional write that
    /// changes them, so two deployments changing at once cannot leave it behind.
    /// </summary>
    private static void FollowLicense(TableEntity counter)
    {
        var current = ReadState(counter, "license_");
        if (current.State.Length == 0) current = current with { State = ReportingState.Never };
        var target = ReportingState.OfCounts(counter.GetInt64(ReportingState.Reporting) ?? 0, counter.GetInt64(ReportingState.Silent) ?? 0);
        WriteState(counter, "license_", current.MoveTo(target));
    }

    /// <summary>Lists a new license as never reported (called when the license is created; idempotent).</summary>
    public Task AddLicenseAsync(string orgId, string licenseId, CancellationToken ct) =>
        ApplyLicenseAsync(orgId, licenseId, new IndexedState(ReportingState.Never, "", 0, -1), ct, markApplied: false);

    /// <summary>Upgrade step: <see cref="AddLicenseAsync"/> for a license the index has never seen (no state, not listed as never).</summary>
    public async Task<bool> AddLicenseIfUnknownAsync(string orgId, string licenseId, CancellationToken ct)
    {
        if (ReadState(await tables.GetAsync(tables.FleetIndex, CountsPartition, Deployments + "|" + LicenseScope(licenseId), ct: ct), "license_").State.Length > 0) return false;
        if (await tables.GetAsync(tables.FleetIndex, Section(Licenses, AllScope, ReportingState.Never), orgId + "|" + licenseId, ct: ct) is not null) return false;
        await AddLicenseAsync(orgId, licenseId, ct);
        return true;
    }

    private async Task ApplyLicenseAsync(string orgId, string licenseId, IndexedState state, CancellationToken ct, bool markApplied = true)
    {
        var key = orgId + "|" + licenseId;
        // A license created before any report is indexed as never (seq 0); its first change comes from never.
        var from = state.From.Length == 0 && state.Seq > 0 ? ReportingState.Never : state.From;
        var change = state with { From = from };
        foreach (var scope in new[] { AllScope, OrgScope(orgId) })
            await MoveAsync(Licenses, scope, key, change, $"{key}|{state.Seq}", ct);
        if (!markApplied) return;
        await Counter.UpdateAsync(tables, tables.FleetIndex, CountsPartition, Deployments + "|" + LicenseScope(licenseId), stored =>
        {
            var e = Copy(stored, CountsPartition, Deployments + "|" + LicenseScope(licenseId));
            var current = ReadState(stored, "license_");
            WriteState(e, "license_", current with { Applied = Math.Max(current.Applied, state.Seq) });
            return e;
        }, ct);
    }

    /// <summary>
    /// Lists a deployment under <paramref name="state"/> alone in each of its scopes (no counts change). The
    /// applier of a change calls it again with the record's latest state when a later change came in while it
    /// applied: otherwise its late writes could undo the later change's, leaving the deployment under a stale
    /// state, or under none.
    /// </summary>
    public async Task PlaceDeploymentAsync(string orgId, string row, string? licenseId, string state, CancellationToken ct)
    {
        foreach (var scope in Scopes(orgId, licenseId)) await PlaceAsync(Deployments, scope, orgId + "|" + row, state, ct);
    }

    private static List<string> Scopes(string orgId, string? licenseId)
    {
        var scopes = new List<string> { AllScope, OrgScope(orgId) };
        if (licenseId is not null) scopes.Add(LicenseScope(licenseId));
        return scopes;
    }

    /// <summary>Writes the entry under <paramref name="state"/>, then deletes it under every other state its kind has.</summary>
    /// <param name="first">The entry's first state: it is under no other yet, so there is nothing to delete.</param>
    private async Task PlaceAsync(string kind, string scope, string key, string state, CancellationToken ct, bool first = false)
    {
        var (orgId, row) = (key[..key.IndexOf('|', StringComparison.Ordinal)], key[(key.IndexOf('|', StringComparison.Ordinal) + 1)..]);
        await tables.FleetIndex.UpsertEntityAsync(new TableEntity(Section(kind, scope, state), key) { ["org_id"] = orgId, ["row"] = row }, TableUpdateMode.Replace, ct);
        if (first) return;
        foreach (var other in (kind == Deployments ? [ReportingState.Reporting, ReportingState.Silent] : ReportingState.InOrder).Where(s => s != state))
            await tables.FleetIndex.TryDeleteAsync(Section(kind, scope, other), key, ETag.All, ct);
    }

    private async Task MoveAsync(string kind, string scope, string key, IndexedState state, string writer, CancellationToken ct, Action<TableEntity>? alsoOnCounter = null)
    {
        // (A first state has no earlier change whose entries could be anywhere: a new deployment costs no deletes.)
        await PlaceAsync(kind, scope, key, state.State, ct, first: state.From.Length == 0);
        // A license's counter decides its state, so it is one entity; the fleet's and an org's are spread over
        // shards by entry, so that a mass silence's changes do not queue on one entity's ETag.
        var counter = scope.StartsWith("l:", StringComparison.Ordinal) ? kind + "|" + scope : $"{kind}|{scope}~{Shard(key)}";
        await Counter.UpdateAsync(tables, tables.FleetIndex, CountsPartition, counter, writer, stored =>
        {
            var e = Copy(stored, CountsPartition, counter);
            if (state.From.Length > 0 && state.From != state.State) e[state.From] = Math.Max(0, (stored?.GetInt64(state.From) ?? 0) - 1);
            e[state.State] = (stored?.GetInt64(state.State) ?? 0) + 1;
            alsoOnCounter?.Invoke(e);
            return e;
        }, ct);
    }

    /// <summary>How many counter shards the fleet's and each org's counts are spread over (a count reads them all in one range read).</summary>
    public const int CounterShards = 8;

    /// <summary>An entry's counter shard: stable for the entry, so its moves between states always meet the same counts.</summary>
    public static int Shard(string key)
    {
        // FNV-1a over the UTF-16 code units: stable across processes and versions, unlike string.GetHashCode.
        uint h = 2166136261;
        foreach (var c in key) h = (h ^ c) * 16777619;
        return (int)(h % CounterShards);
    }

    /// <summary>How many deployments or licenses of a scope are in each state: one point read for a license, one range read of the shards otherwise.</summary>
    public async Task<FleetCounts> CountsAsync(string kind, string scope, CancellationToken ct)
    {
        if (scope.StartsWith("l:", StringComparison.Ordinal))
        {
            var e = await tables.GetAsync(tables.FleetIndex, CountsPartition, kind + "|" + scope, ct: ct);
            return new FleetCounts(e?.GetInt64(ReportingState.Reporting) ?? 0, e?.GetInt64(ReportingState.Silent) ?? 0, e?.GetInt64(ReportingState.Never) ?? 0);
        }
        // Shard keys are "kind|scope~digit": the range holds exactly this scope's shards.
        var shards = await tables.TakeAsync(tables.FleetIndex,
            TableClient.CreateQueryFilter($"PartitionKey eq {CountsPartition} and RowKey gt {kind + "|" + scope + "~"} and RowKey lt {kind + "|" + scope + "~~"}"),
            CounterShards, [.. ReportingState.InOrder], ct);
        return new FleetCounts(
            shards.Sum(e => e.GetInt64(ReportingState.Reporting) ?? 0), shards.Sum(e => e.GetInt64(ReportingState.Silent) ?? 0), shards.Sum(e => e.GetInt64(ReportingState.Never) ?? 0));
    }

    /// <summary>
    /// One page of a scope: silent first, then reporting, then never (or one state), each in key order.
    /// Reads at most <paramref name="limit"/> + 1 index entities (one more to know whether a next page exists).
    /// </summary>
    public async Task<FleetPage> PageAsync(string kind, string scope, string? state, PageCursor? cursor, int limit, CancellationToken ct)
    {
        var sections = state is not null ? [state] : kind == Deployments ? [ReportingState.Silent, ReportingState.Reporting] : ReportingState.InOrder.ToList();
        var start = cursor is null ? 0 : sections.IndexOf(cursor.Section);
        if (start < 0) throw new ArgumentException("The cursor belongs to another listing.", nameof(cursor));
        var items = new List<(string Section, TableEntity Entity)>();
        for (int i = start; i < sections.Count && items.Count <= limit; i++)
        {
            var pk = Section(kind, scope, sections[i]);
            var filter = i == start && cursor is not null
                ? TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey gt {cursor.After}")
                : TableClient.CreateQueryFilter($"PartitionKey eq {pk}");
            foreach (var e in await tables.TakeAsync(tables.FleetIndex, filter, limit + 1 - items.Count, ct: ct)) items.Add((sections[i], e));
        }
        var next = items.Count > limit ? new PageCursor(items[limit - 1].Section, items[limit - 1].Entity.RowKey) : null;
        // An entry moving between states is in both sections for a moment (the new one is written before the
        // old one is deleted): a page lists it once, under the section read first.
        return new FleetPage([.. items.Take(limit).DistinctBy(x => x.Entity.RowKey, StringComparer.Ordinal)
            .Select(x => new FleetEntry(x.Entity.GetString("org_id") ?? "", x.Entity.GetString("row") ?? "", x.Section))], next);
    }

    /// <summary>Keeps a license's latest report (the listing shows it without reading every deployment).</summary>
    public Task TouchLicenseAsync(string licenseId, DateTimeOffset lastReportAt, CancellationToken ct) =>
        Counter.UpdateAsync(tables, tables.FleetIndex, ActivityPartition, licenseId, stored =>
        {
            var e = Copy(stored, ActivityPartition, licenseId);
            if (stored?.GetDateTimeOffset("last_report_at") is not { } last || last < lastReportAt) e["last_report_at"] = lastReportAt;
            return e;
        }, ct);

    public async Task<DateTimeOffset?> LicenseLastReportAsync(string licenseId, CancellationToken ct) =>
        (await tables.GetAsync(tables.FleetIndex, ActivityPartition, licenseId, ["last_report_at"], ct))?.GetDateTimeOffset("last_report_at");

    /// <summary>How finely reports are bucketed for the sweep: a deployment is found silent at most this much after 660 s.</summary>
    public static readonly TimeSpan Bucket = TimeSpan.FromSeconds(10);

    /// <summary>Notes that a deployment reported in <paramref name="at"/>'s bucket: the silence sweep reads that bucket 670 s later.</summary>
    public async Task MarkSeenAsync(string orgId, string row, DateTimeOffset at, CancellationToken ct) =>
        await tables.FleetIndex.UpsertEntityAsync(new TableEntity(SeenPartition(at), orgId + "|" + row) { ["org_id"] = orgId, ["row"] = row }, TableUpdateMode.Replace, ct);

    public async Task UnmarkSeenAsync(string orgId, string row, DateTimeOffset at, CancellationToken ct) =>
        await tables.FleetIndex.TryDeleteAsync(SeenPartition(at), orgId + "|" + row, ETag.All, ct);

    /// <summary>
    /// Deployments noted as reporting in the buckets after <paramref name="after"/> up to <paramref name="through"/>
    /// (one range read over those buckets' partitions, however many of them are empty), with the bucket each
    /// was noted in. The sweep verifies each against its record.
    /// </summary>
    public async Task<IReadOnlyList<(FleetEntry Entry, DateTimeOffset Bucket)>> SeenAsync(DateTimeOffset? after, DateTimeOffset through, int limit, CancellationToken ct)
    {
        var filter = after is { } a
            ? TableClient.CreateQueryFilter($"PartitionKey gt {SeenPartition(a)} and PartitionKey le {SeenPartition(through)}")
            : TableClient.CreateQueryFilter($"PartitionKey ge {"seen|"} and PartitionKey le {SeenPartition(through)}");
        return [.. (await tables.TakeAsync(tables.FleetIndex, filter, limit, ct: ct)).Select(e => (
            new FleetEntry(e.GetString("org_id") ?? "", e.GetString("row") ?? "", ReportingState.Reporting),
            DateTimeOffset.ParseExact(e.PartitionKey["seen|".Length..], "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)))];
    }

    /// <summary>The last bucket the sweep finished (every bucket up to it is empty), or null before its first run.</summary>
    public async Task<DateTimeOffset?> SweptThroughAsync(CancellationToken ct) =>
        (await tables.GetAsync(tables.FleetIndex, SweepPartition, Deployments, ct: ct))?.GetDateTimeOffset("through");

    /// <param name="back">Also when earlier than what is stored: a clock that went back must not leave later buckets unswept.</param>
    public Task SetSweptThroughAsync(DateTimeOffset bucket, CancellationToken ct, bool back = false) =>
        Counter.UpdateAsync(tables, tables.FleetIndex, SweepPartition, Deployments, stored =>
        {
            var e = Copy(stored, SweepPartition, Deployments);
            if (back || stored?.GetDateTimeOffset("through") is not { } through || through < bucket) e["through"] = bucket;
            return e;
        }, ct);

    /// <summary>The start of the sweep bucket <paramref name="at"/> falls in.</summary>
    public static DateTimeOffset BucketOf(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % Bucket.Ticks, TimeSpan.Zero);

    public static string BucketKey(DateTimeOffset at) => BucketOf(at).UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    private static string SeenPartition(DateTimeOffset at) => "seen|" + BucketKey(at);

    private static string Section(string kind, string scope, string state) => $"{kind}|{scope}|{state}";

    public static IndexedState ReadState(TableEntity? e, string prefix = "") => e?.GetString(prefix + "state") is { Length: > 0 } state
        ? new IndexedState(state, e.GetString(prefix + "state_from") ?? "", e.GetInt64(prefix + "state_seq") ?? 0, e.GetInt64(prefix + "state_applied") ?? 0)
        : IndexedState.None;

    public static void WriteState(TableEntity e, string prefix, IndexedState s)
    {
        e[prefix + "state"] = s.State;
        e[prefix + "state_from"] = s.From;
        e[prefix + "state_seq"] = s.Seq;
        e[prefix + "state_applied"] = s.Applied;
    }

    private static TableEntity Copy(TableEntity? stored, string pk, string rk)
    {
        var e = new TableEntity(pk, rk);
        if (stored is null) return e;
        foreach (var (name, value) in stored)
            if (name is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")) e[name] = value;
        return e;
    }
}
