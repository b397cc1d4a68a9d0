using Beacon.Domain.Meters;

namespace Beacon.Domain.Query;

/// <summary>
/// Usage reported without a workspace (an empty <c>tenant_id</c>, the usual license-only deployment) is
/// stored under the empty workspace id and read as the org's default workspace — whichever workspace is
/// the default when it is read. So the license copy and the API-key copy of one window share one key,
/// a window stored before the org had a default and superseded after counts once, and pointing the
/// default elsewhere moves that usage without rewriting a single record.
/// </summary>
public sealed record DefaultWorkspace(string WorkspaceId)
{
    /// <summary>How usage without a workspace is stored.</summary>
    public const string Unassigned = "";

    public string Resolve(string storedWorkspaceId) => storedWorkspaceId.Length == 0 ? WorkspaceId : storedWorkspaceId;

    public CellKey Resolve(CellKey key) => key.WorkspaceId.Length == 0 ? key with { WorkspaceId = WorkspaceId } : key;

    /// <summary>The stored workspace ids to read for <paramref name="requested"/>: the empty one too when the default is requested.</summary>
    public IReadOnlyList<string> StoredIdsFor(IReadOnlyList<string> requested) =>
        requested.Contains(WorkspaceId) ? [.. requested, Unassigned] : requested;

    /// <summary>
    /// The id of an org's first default workspace, derived from the org id so that every instance that
    /// creates it at once (an upgrade racing a request) creates the same one.
    /// </summary>
    public static string InitialIdFor(string orgId)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("beacon-default-workspace|" + orgId));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // a name-based (version 5 style) UUID
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString("D");
    }
}
