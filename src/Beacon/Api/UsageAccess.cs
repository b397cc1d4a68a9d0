using Beacon.Domain.Query;
using Beacon.Storage.Stores;

namespace Beacon.Api;

/// <summary>
/// Who may read what (SPEC §5): the API key needs <c>organization:read</c>, and every requested
/// workspace must be readable by it — a workspace of the key's org, inside the key's workspace scope,
/// and, for a key that belongs to a user, one the user can read. Errors never say anything about
/// workspaces the caller cannot read (whether they exist, or whose they are).
/// </summary>
internal sealed class UsageAccess(Callers callers, DirectoryStore directory)
{
    public async Task<(ApiKeyRecord? Key, IResult? Problem)> AuthenticateReaderAsync(HttpRequest request, CancellationToken ct)
    {
        var (key, problem) = await callers.AuthenticateApiKeyAsync(request, ct);
        if (problem is not null) return (null, problem);
        if (!key!.Permissions.Contains(ApiKeyRecord.OrganizationRead))
            return (null, Problems.Forbidden($"This API key lacks the {ApiKeyRecord.OrganizationRead} permission."));
        return (key, null);
    }

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

    /// <summary>Parses the query parameters and checks every requested workspace; 400 or 403 on failure.</summary>
    public async Task<(UsageQuery? Query, IResult? Problem)> ParseAndAuthorizeAsync(ApiKeyRecord key, IQueryCollection parameters, CancellationToken ct)
    {
        var parsed = UsageQueryParser.Parse(name => parameters.TryGetValue(name, out var v) ? [.. v.OfType<string>()] : []);
        if (!parsed.IsValid) return (null, Problems.Validation(parsed.Errors));
        var query = parsed.Value!;
        var readable = (await ReadableWorkspacesAsync(key, ct)).Select(w => w.WorkspaceId).ToHashSet(StringComparer.Ordinal);
        var refused = query.WorkspaceIds.Where(w => !readable.Contains(w)).ToList();
        if (refused.Count > 0)
            return (null, Problems.Forbidden($"Not readable with this API key: workspace {string.Join(", ", refused)}."));
        return (query, null);
    }
}
