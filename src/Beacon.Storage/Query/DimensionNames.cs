using System.Security.Cryptography;
using System.Text;
using Beacon.Domain.Csv;
using Beacon.Domain.Query;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Query;

/// <summary>
/// Display names for one grouping: workspace names, project names or user emails. Unknown or empty
/// names are null (JSON null, empty CSV cell); an empty dimension value (usage without a project,
/// user or key) has a null id too.
/// </summary>
public sealed class DimensionNames
{
    private readonly Dictionary<string, string> _names;

    private DimensionNames(Dictionary<string, string> names) => _names = names;

    public static async Task<DimensionNames> LoadAsync(DirectoryStore directory, string orgId, GroupBy groupBy, CancellationToken ct)
    {
        var names = groupBy switch
        {
            GroupBy.Workspace => (await directory.ListWorkspacesAsync(orgId, ct)).ToDictionary(w => w.WorkspaceId, w => w.Name),
            GroupBy.Project => (await directory.ListProjectsAsync(orgId, ct)).ToDictionary(p => p.ProjectId, p => p.Name),
            GroupBy.User => (await directory.ListUsersAsync(orgId, ct)).ToDictionary(u => u.UserId, u => u.Email),
            _ => [],
        };
        return new DimensionNames(names);
    }

    public DimensionLabel Label(string value) =>
        new(value.Length == 0 ? null : value, _names.TryGetValue(value, out var n) && n.Length > 0 ? n : null);

    /// <summary>Changes when any name changes: a staged export made with other names is not served.</summary>
    public string Fingerprint() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\n', _names.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "\u0001" + kv.Value)))))[..32];
}
