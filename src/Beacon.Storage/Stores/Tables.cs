using Beacon.Storage.Client;

namespace Beacon.Storage.Stores;

/// <summary>
/// Every table and container Beacon uses, created on start. The layout (partition and row keys, and
/// why) is described in docs/decisions/0003-storage-layout.md.
/// </summary>
public sealed class Tables(StorageAccount account)
{
    public StorageAccount Account { get; } = account;

    /// <summary>Orgs (PK <c>orgs</c>) and each org's workspaces, users, API keys, licenses and projects (PK = org id).</summary>
    public TableClient Directory { get; } = account.GetTable("Directory");

    /// <summary>SHA-256 of a license key or API key → which org and record it is (PK = hash).</summary>
    public TableClient Credentials { get; } = account.GetTable("Credentials");

    /// <summary>Workspace id → the org that owns it (PK = workspace id), so no org can report into another's workspace.</summary>
    public TableClient WorkspaceOwners { get; } = account.GetTable("WorkspaceOwners");

    /// <summary>Deployment usage windows, one entity per window key (PK = org|day of from_timestamp).</summary>
    public TableClient UsageWindows { get; } = account.GetTable("UsageWindows");

    /// <summary>Pointers to windows that reach past their first day (PK = org, RK starts with the last day).</summary>
    public TableClient WindowSpans { get; } = account.GetTable("WindowSpans");

    /// <summary>Trace transaction ids claimed per org, forever (PK = org): the idempotency record.</summary>
    public TableClient TraceIds { get; } = account.GetTable("TraceIds");

    /// <summary>Trace transactions by UTC day (PK = org|day), what queries read.</summary>
    public TableClient TraceTransactions { get; } = account.GetTable("TraceTransactions");

    /// <summary>Day ranges that received data after they may have been rolled up (PK = org).</summary>
    public TableClient DirtyDays { get; } = account.GetTable("DirtyDays");

    /// <summary>Precomputed daily/weekly/monthly cells (PK = org|kind|size) and per-org progress.</summary>
    public TableClient Rollups { get; } = account.GetTable("Rollups");

    public BlobContainerClient Keys { get; } = account.GetContainer("beacon-keys");
    public BlobContainerClient Locks { get; } = account.GetContainer("beacon-locks");
    public BlobContainerClient Exports { get; } = account.GetContainer("beacon-exports");
    public BlobContainerClient Diagnostics { get; } = account.GetContainer("beacon-diagnostics");

    public IEnumerable<TableClient> AllTables =>
        [Directory, Credentials, WorkspaceOwners, UsageWindows, WindowSpans, TraceIds, TraceTransactions, DirtyDays, Rollups];

    public IEnumerable<BlobContainerClient> AllContainers => [Keys, Locks, Exports, Diagnostics];

    /// <summary>
    /// Creates what is missing (Azurite, a fresh account). In Azure, infra/ declares every table and
    /// container; an identity that may use them but not create them gets 403 here, which is fine.
    /// </summary>
    public async Task EnsureCreatedAsync(CancellationToken ct = default)
    {
        await Task.WhenAll(AllTables.Select(t => TolerateForbiddenAsync(t.CreateIfNotExistsAsync(ct))));
        await Task.WhenAll(AllContainers.Select(c => TolerateForbiddenAsync(c.CreateIfNotExistsAsync(ct))));
    }

    private static async Task TolerateForbiddenAsync(Task create)
    {
        try
        {
            await create;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 403)
        {
            // Provisioned by infrastructure; the data-plane role cannot create, only use.
        }
    }
}
