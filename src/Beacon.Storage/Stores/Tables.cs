using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Beacon.Storage.Account;

namespace Beacon.Storage.Stores;

/// <summary>
/// Every table and container Beacon uses, created on start, and the one place stores read entities
/// (so the benchmark can count them). The layout (partition and row keys, and why) is described in
/// docs/decisions/0003-storage-layout.md.
/// </summary>
public sealed class Tables(StorageAccount account)
{
    public StorageMetrics Metrics => account.Metrics;

    /// <summary>Orgs (PK <c>orgs</c>) and each org's workspaces, users, API keys, licenses and projects (PK = org id).</summary>
    public TableClient Directory { get; } = account.TableService.GetTableClient("Directory");

    /// <summary>SHA-256 of a license key or API key → which org and record it is (PK = hash).</summary>
    public TableClient Credentials { get; } = account.TableService.GetTableClient("Credentials");

    /// <summary>Deployment usage windows, one entity per window key (PK = org|day of from_timestamp).</summary>
    public TableClient UsageWindows { get; } = account.TableService.GetTableClient("UsageWindows");

    /// <summary>Pointers to windows that reach past their first day (PK = org, RK starts with the last day).</summary>
    public TableClient WindowSpans { get; } = account.TableService.GetTableClient("WindowSpans");

    /// <summary>Trace transaction ids claimed per org, forever (PK = org): the idempotency record.</summary>
    public TableClient TraceIds { get; } = account.TableService.GetTableClient("TraceIds");

    /// <summary>Trace transactions by UTC day (PK = org|day), what queries read.</summary>
    public TableClient TraceTransactions { get; } = account.TableService.GetTableClient("TraceTransactions");

    /// <summary>Day ranges that received data after they may have been rolled up (PK = org).</summary>
    public TableClient DirtyDays { get; } = account.TableService.GetTableClient("DirtyDays");

    /// <summary>Precomputed daily/weekly/monthly cells (PK = org|kind|size) and per-org progress.</summary>
    public TableClient Rollups { get; } = account.TableService.GetTableClient("Rollups");

    /// <summary>License verifications per day, accepted and refused apart (PK = license id, RK = yyyyMMdd).</summary>
    public TableClient Verifications { get; } = account.TableService.GetTableClient("Verifications");

    /// <summary>Reports acknowledged but ignored because they would lower billed usage, per credential and day (PK = kind:id, RK = yyyyMMdd).</summary>
    public TableClient IgnoredReports { get; } = account.TableService.GetTableClient("IgnoredReports");

    /// <summary>Usage snapshots of self-hosted installs (PK = license id, RK = from time counted down: newest first).</summary>
    public TableClient UsageSnapshots { get; } = account.TableService.GetTableClient("UsageSnapshots");

    /// <summary>Installs' telemetry: the latest point of each metric series (PK = license, RK = series).</summary>
    public TableClient TelemetryLatest { get; } = account.TableService.GetTableClient("TelemetryLatest");

    /// <summary>One point per metric series per 5 minutes (PK = day|license, RK = series|HHmm).</summary>
    public TableClient TelemetrySeries { get; } = account.TableService.GetTableClient("TelemetrySeries");

    /// <summary>Kept log records and spans (PK = day|license, RK = kind|time counted down|hash).</summary>
    public TableClient TelemetryRecords { get; } = account.TableService.GetTableClient("TelemetryRecords");

    /// <summary>Per license and day: telemetry records kept, dropped over the cap, not kept by policy (PK = license, RK = day).</summary>
    public TableClient TelemetryCounts { get; } = account.TableService.GetTableClient("TelemetryCounts");

    /// <summary>The fleet view: one entity per deployment (PK = org id, RK = credential|workspace|project), written off the request path.</summary>
    public TableClient Deployments { get; } = account.TableService.GetTableClient("Deployments");

    /// <summary>
    /// What pages the operator's fleet views (docs/decisions/0015-fleet-paging.md): deployments and licenses
    /// by scope and state, counts per state, each license's latest report, and the minute each deployment
    /// last reported (what the silence sweep reads).
    /// </summary>
    public TableClient FleetIndex { get; } = account.TableService.GetTableClient("FleetIndex");

    /// <summary>Append-only audit log of operator and CLI changes (PK = audit, RK = time counted down|id: newest first).</summary>
    public TableClient Audit { get; } = account.TableService.GetTableClient("Audit");

    /// <summary>The statements ledger: months, closed lines and adjustments (one partition, see StatementStore).</summary>
    public TableClient Statements { get; } = account.TableService.GetTableClient("Statements");

    /// <summary>Self-reported usage in effect: one entity per org, kind, UTC day and license (PK = org|kind, RK = yyyyMMdd|license).</summary>
    public TableClient ReportedUsage { get; } = account.TableService.GetTableClient("ReportedUsage");

    /// <summary>Accepted self-reported usage files and their receipts, a chain per license (PK = license id; RK <c>head</c>, or <c>r|</c> + sequence counted down).</summary>
    public TableClient UsageReports { get; } = account.TableService.GetTableClient("UsageReports");

    /// <summary>Webhook endpoints, events, deliveries and what is due (partitions by kind; see WebhookStore).</summary>
    public TableClient Webhooks { get; } = account.TableService.GetTableClient("Webhooks");

    public BlobContainerClient Keys { get; } = account.BlobService.GetBlobContainerClient("beacon-keys");
    public BlobContainerClient Locks { get; } = account.BlobService.GetBlobContainerClient("beacon-locks");
    public BlobContainerClient Exports { get; } = account.BlobService.GetBlobContainerClient("beacon-exports");
    public BlobContainerClient Diagnostics { get; } = account.BlobService.GetBlobContainerClient("beacon-diagnostics");

    /// <summary>The bytes of every accepted self-reported usage file (<c>license/report id.csv</c>): the evidence a receipt signs.</summary>
    public BlobContainerClient Reports { get; } = account.BlobService.GetBlobContainerClient("beacon-reports");

    public IEnumerable<TableClient> AllTables =>
        [Directory, Credentials, UsageWindows, WindowSpans, TraceIds, TraceTransactions, DirtyDays, Rollups, Verifications, IgnoredReports, UsageSnapshots,
         TelemetryLatest, TelemetrySeries, TelemetryRecords, TelemetryCounts, Deployments, FleetIndex, Audit, Statements, ReportedUsage, UsageReports, Webhooks];

    public IEnumerable<BlobContainerClient> AllContainers => [Keys, Locks, Exports, Diagnostics, Reports];

    /// <summary>Reads one entity by its keys; null when absent. <paramref name="select"/> always gets the keys added.</summary>
    // The Tables SDK makes each entity it reads with Activator.CreateInstance<TableEntity>(); natively compiled, the
    // constructor must be kept explicitly, or every read fails (ADR 0001).
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(TableEntity))]
    public async Task<TableEntity?> GetAsync(TableClient table, string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken ct = default)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, WithKeys(select), ct);
        if (!response.HasValue) return null;
        Metrics.CountRead(1);
        return response.Value;
    }

    /// <summary>
    /// Every entity matching <paramref name="filter"/> (build it with <see cref="TableClient.CreateQueryFilter(FormattableString)"/>),
    /// page by page, following continuation tokens.
    /// </summary>
    // The Tables SDK makes each entity it reads with Activator.CreateInstance<TableEntity>(); natively compiled, the
    // constructor must be kept explicitly, or every read fails (ADR 0001).
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicConstructors, typeof(TableEntity))]
    public async IAsyncEnumerable<TableEntity> QueryAsync(TableClient table, string filter, IEnumerable<string>? select = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var page in table.QueryAsync<TableEntity>(filter, select: WithKeys(select), cancellationToken: ct).AsPages())
        {
            Metrics.CountRead(page.Values.Count);
            foreach (var e in page.Values) yield return e;
        }
    }

    /// <summary>
    /// At most <paramref name="limit"/> entities matching <paramref name="filter"/>, in key order, asking the
    /// service for no more than that: what a page of an operator listing costs whatever the table's size.
    /// </summary>
    public async Task<IReadOnlyList<TableEntity>> TakeAsync(TableClient table, string filter, int limit, IEnumerable<string>? select = null, CancellationToken ct = default)
    {
        var result = new List<TableEntity>(Math.Min(limit, 1_001));
        string? continuation = null;
        do
        {
            // The service may answer a short page with a continuation (a partition boundary, a 5 s slice); ask again for the rest.
            var pages = table.QueryAsync<TableEntity>(filter, maxPerPage: limit - result.Count, select: WithKeys(select), cancellationToken: ct).AsPages(continuation);
            await foreach (var page in pages)
            {
                Metrics.CountRead(page.Values.Count);
                result.AddRange(page.Values.Take(limit - result.Count));
                continuation = page.ContinuationToken;
                break;
            }
        }
        while (continuation is not null && result.Count < limit);
        return result;
    }

    /// <summary>
    /// A page of one partition in row-key order after the cursor (keyset paging): reads at most
    /// <paramref name="limit"/> + 1 entities, the extra one only to know that a next page exists.
    /// </summary>
    public async Task<(IReadOnlyList<TableEntity> Page, Domain.Fleet.PageCursor? Next)> PageAsync(
        TableClient table, string partitionKey, string section, Domain.Fleet.PageCursor? after, int limit, CancellationToken ct = default)
    {
        var filter = after is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey gt {after.After}");
        var page = await TakeAsync(table, filter, limit + 1, ct: ct);
        return ([.. page.Take(limit)], page.Count > limit ? new Domain.Fleet.PageCursor(section, page[limit - 1].RowKey) : null);
    }

    /// <summary>Without the keys in <c>$select</c> the service leaves them out, and every store needs them.</summary>
    private static string[]? WithKeys(IEnumerable<string>? select) =>
        select is null ? null : [.. select.Concat(["PartitionKey", "RowKey"]).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Creates what is missing (Azurite, a fresh account): one listing of the tables and an existence check
    /// of each container (HEAD requests, in parallel: no XML to parse at start-up), then a create for each
    /// one absent. In Azure,
    /// infra/ declares every table and container; an identity that may use them but not create them gets
    /// 403 here, which is fine.
    /// </summary>
    public async Task EnsureCreatedAsync(CancellationToken ct = default)
    {
        var tables = TolerateForbiddenAsync(async () =>
        {
            var existing = await account.TableService.QueryAsync(cancellationToken: ct).Select(t => t.Name).ToHashSetAsync(StringComparer.OrdinalIgnoreCase, ct);
            await Task.WhenAll(AllTables.Where(t => !existing.Contains(t.Name)).Select(t => CreateAsync(t, ct)));
        });
        var containers = Task.WhenAll(AllContainers.Select(c => TolerateForbiddenAsync(async () =>
        {
            if (!await c.ExistsAsync(ct)) await c.CreateIfNotExistsAsync(cancellationToken: ct);
        })));
        await Task.WhenAll(tables, containers);
    }

    /// <summary>
    /// Creates a table, and is done when another instance created it first (409). Not the SDK's CreateIfNotExists,
    /// which serializes its request by reflection and so fails in natively compiled beacon (ADR 0001).
    /// </summary>
    private static async Task CreateAsync(TableClient table, CancellationToken ct)
    {
        try
        {
            await table.CreateAsync(ct);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            // created by someone else meanwhile
        }
    }

    private static async Task TolerateForbiddenAsync(Func<Task> create)
    {
        try
        {
            await create();
        }
        catch (Azure.RequestFailedException e) when (e.Status == 403)
        {
            // Provisioned by infrastructure; the data-plane role cannot create, only use.
        }
    }
}
