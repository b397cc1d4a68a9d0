using Beacon.Domain;
using Beacon.Domain.Credentials;
using Beacon.Domain.Query;
using Beacon.Storage.Stores;

namespace Beacon.Api.Billing;

/// <summary>
/// Who may read what (SPEC §5): every requested workspace must be readable by the API key — a workspace
/// of the key's org, inside the key's workspace scope, and, for a key that belongs to a user, one the
/// user can read. Refusals never say anything about workspaces the caller cannot read (whether they
/// exist, or whose they are).
/// </summary>
internal sealed class UsageAccess(DirectoryStore directory)
{
    /// <summary>The workspaces this key can read, with their names, ordered by name then id.</summary>
    public async Task<IReadOnlyList<Workspace>> ReadableWorkspacesAsync(ApiKeyRecord key, CancellationToken ct)
    {
        var all = await directory.ListWorkspacesAsync(key.OrgId, ct);
        IReadOnlyCollection<string>? userWorkspaces = null;
        if (key.UserId.Length > 0)
            userWorkspaces = (await directory.GetUserAsync(key.OrgId, key.UserId, ct))?.WorkspaceIds ?? [];
        return [.. all.Where(w => key.Allows(w.WorkspaceId) && (userWorkspaces is null || userWorkspaces.Contains(w.WorkspaceId)))
            .OrderBy(w => w.Name, StringComparer.Ordinal).ThenBy(w => w.WorkspaceId, StringComparer.Ordinal)];
    }

    public static Validated<UsageQuery> Parse(IQueryCollection parameters) =>
        UsageQueryParser.Parse(name => parameters.TryGetValue(name, out var v) ? [.. v.OfType<string>()] : []);

    /// <summary>The requested workspaces this key may not read (empty when all are readable).</summary>
    public async Task<IReadOnlyList<string>> UnreadableAsync(ApiKeyRecord key, UsageQuery query, CancellationToken ct)
    {
        var readable = (await ReadableWorkspacesAsync(key, ct)).Select(w => w.WorkspaceId).ToHashSet(StringComparer.Ordinal);
        return [.. query.WorkspaceIds.Where(w => !readable.Contains(w))];
    }
}
