using System.Collections.Concurrent;
using Beacon.Domain.Query;
using Beacon.Storage.Stores;

namespace Beacon.Api.Reporting;

/// <summary>
/// Decides whether a caller may report usage into the workspaces it names, and records project ids
/// seen in usage. Workspace ownership never changes and projects are never deleted, so both are
/// remembered for the life of the process: steady-state reports cost no extra storage calls.
/// </summary>
internal sealed class UsageAdmission(DirectoryStore directory)
{
    private readonly ConcurrentDictionary<(string Org, string Workspace), WorkspaceClaim> _claims = new();
    private readonly ConcurrentDictionary<(string Org, string Project), bool> _projects = new();

    /// <summary>Null when every workspace is allowed; otherwise the detail of a 403.</summary>
    public async Task<string?> CheckWorkspacesAsync(ReportingCaller caller, IEnumerable<string> workspaceIds, CancellationToken ct)
    {
        var distinct = workspaceIds.Distinct().ToList();
        // Usage without a workspace belongs to the org's default workspace, which a key limited to some
        // workspaces must include (looked up only for such keys: the hot path stays one write).
        if (caller.ApiKey is { WorkspaceScope: not null } scoped && distinct.Contains(DefaultWorkspace.Unassigned))
        {
            var defaultWorkspace = await directory.GetDefaultWorkspaceAsync(caller.OrgId, ct);
            if (defaultWorkspace is null || !scoped.Allows(defaultWorkspace.WorkspaceId))
                return "Usage without a workspace belongs to the organization's default workspace, which is outside this API key's workspace scope.";
        }
        foreach (var ws in distinct.Where(w => w.Length > 0))
        {
            if (caller.ApiKey is { } key && !key.Allows(ws))
                return $"Workspace {ws} is outside this API key's workspace scope.";
            if (!_claims.TryGetValue((caller.OrgId, ws), out var claim))
            {
                claim = await directory.EnsureWorkspaceAsync(caller.OrgId, ws, ct: ct);
                _claims[(caller.OrgId, ws)] = claim;
            }
            // Same words whether the workspace is another org's or merely not ours: nothing leaks.
            if (claim == WorkspaceClaim.OwnedByAnotherOrg) return $"Workspace {ws} is not available to this organization.";
        }
        return null;
    }

    public async Task RecordProjectsAsync(string orgId, IEnumerable<(string Workspace, string Project)> projects, CancellationToken ct)
    {
        foreach (var (ws, project) in projects.Where(p => p.Project.Length > 0).Distinct())
        {
            if (_projects.ContainsKey((orgId, project))) continue;
            await directory.EnsureProjectAsync(orgId, project, ws, ct);
            _projects[(orgId, project)] = true;
        }
    }
}
