using Beacon.Domain.Query;
using Beacon.Storage.Stores;
using Microsoft.Extensions.Caching.Memory;

namespace Beacon.Api.Reporting;

/// <summary>
/// Decides whether a caller may report usage into the workspaces it names, and records the workspace
/// and project ids seen in usage. Workspace ids are scoped by org, so the decision needs no storage
/// (only a workspace-scoped key reporting usage without a workspace reads the org's default). Ids
/// already recorded are remembered in a size-bounded cache, so steady-state reports cost no extra
/// storage calls and a flood of new ids costs one batched write per request and bounded memory.
/// </summary>
internal sealed class UsageAdmission(DirectoryStore directory) : IDisposable
{
    /// <summary>Ids remembered as recorded; past this, the least recently used are forgotten (and re-recorded if seen again, harmlessly).</summary>
    public const int CacheEntries = 100_000;

    private readonly MemoryCache _recorded = new(new MemoryCacheOptions { SizeLimit = CacheEntries });

    /// <summary>Null when every workspace is allowed; otherwise the detail of a 403.</summary>
    public async Task<string?> CheckWorkspacesAsync(ReportingCaller caller, IEnumerable<string> workspaceIds, CancellationToken ct)
    {
        if (caller.ApiKey is not { } key) return null; // a license reports into any workspace of its org
        var distinct = workspaceIds.Distinct().ToList();
        foreach (var ws in distinct.Where(w => w.Length > 0))
            if (!key.Allows(ws)) return $"Workspace {ws} is outside this API key's workspace scope.";
        // Usage without a workspace belongs to the org's default workspace, which a key limited to some
        // workspaces must include (looked up only for such keys: the hot path stays one write).
        if (key.WorkspaceScope is not null && distinct.Contains(DefaultWorkspace.Unassigned))
        {
            var defaultWorkspace = await directory.GetDefaultWorkspaceAsync(caller.OrgId, ct);
            if (defaultWorkspace is null || !key.Allows(defaultWorkspace.WorkspaceId))
                return "Usage without a workspace belongs to the organization's default workspace, which is outside this API key's workspace scope.";
        }
        return null;
    }

    /// <summary>Records the ids of an admitted request before its usage is stored, so every stored row's workspace is listed.</summary>
    public async Task RecordAsync(string orgId, IEnumerable<(string Workspace, string Project)> seen, CancellationToken ct)
    {
        var pairs = seen.Distinct().ToList();
        var workspaces = pairs.Select(p => p.Workspace).Where(w => w.Length > 0).Distinct()
            .Where(w => !_recorded.TryGetValue((orgId, 'w', w), out _)).ToList();
        var projects = pairs.Where(p => p.Project.Length > 0 && !_recorded.TryGetValue((orgId, 'p', p.Project), out _))
            .DistinctBy(p => p.Project).ToList();
        if (workspaces.Count == 0 && projects.Count == 0) return;

        await directory.RecordSeenAsync(orgId, workspaces, projects, ct);
        var entry = new MemoryCacheEntryOptions { Size = 1 };
        foreach (var w in workspaces) _recorded.Set((orgId, 'w', w), true, entry);
        foreach (var p in projects) _recorded.Set((orgId, 'p', p.Project), true, entry);
    }

    public void Dispose() => _recorded.Dispose();
}
