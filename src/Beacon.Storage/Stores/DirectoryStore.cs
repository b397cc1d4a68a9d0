using Azure.Data.Tables;
using Beacon.Domain;
using Beacon.Domain.Query;
using Beacon.Domain.Time;

namespace Beacon.Storage.Stores;

/// <summary>Organizations, workspaces, users and project names.</summary>
public sealed class DirectoryStore(Tables tables, TimeProvider time)
{
    private const string OrgsPartition = "orgs";
    private TableClient Directory => tables.Directory;

    public const string DefaultWorkspaceName = "Default";

    /// <summary>Creates an org with its default workspace, <c>Default</c> (written first, so the org never points at nothing).</summary>
    public async Task<Organization> CreateOrgAsync(string name, CancellationToken ct = default)
    {
        var orgId = Ids.NewId();
        var now = time.GetUtcNow();
        var org = new Organization(orgId, name, DateOnly.FromDateTime(now.UtcDateTime), DefaultWorkspace.InitialIdFor(orgId)) { CreatedAt = now };
        await CreateWorkspaceAsync(orgId, org.DefaultWorkspaceId!, DefaultWorkspaceName, ct);
        await Directory.AddEntityAsync(new TableEntity(OrgsPartition, org.OrgId)
        {
            ["name"] = name, ["created_day"] = Timestamps.DayKey(org.CreatedDay), ["created_at"] = now, ["default_workspace_id"] = org.DefaultWorkspaceId,
        }, ct);
        return org;
    }

    /// <summary>
    /// The org's default workspace. An org created before defaults existed gets one here — the upgrade
    /// step, run by itself at start and whenever such an org is met: a workspace named <c>Default</c>
    /// with an id derived from the org's, recorded on the org only if nobody recorded one first.
    /// </summary>
    public async Task<DefaultWorkspace> EnsureDefaultWorkspaceAsync(Organization org, CancellationToken ct = default)
    {
        if (org.DefaultWorkspaceId is { } known) return new DefaultWorkspace(known);
        var id = DefaultWorkspace.InitialIdFor(org.OrgId);
        await CreateWorkspaceAsync(org.OrgId, id, DefaultWorkspaceName, ct);
        var stored = await tables.GetAsync(Directory, OrgsPartition, org.OrgId, ct: ct)
                     ?? throw new InvalidOperationException($"Organization {org.OrgId} vanished.");
        if (stored.GetString("default_workspace_id") is { Length: > 0 } winner) return new DefaultWorkspace(winner);
        var update = new TableEntity(OrgsPartition, org.OrgId) { ["default_workspace_id"] = id };
        if (await Directory.TryUpdateAsync(update, stored.ETag, TableUpdateMode.Merge, ct) is not null) return new DefaultWorkspace(id);
        return new DefaultWorkspace((await GetOrgAsync(org.OrgId, ct))?.DefaultWorkspaceId ?? id);
    }

    /// <summary>The default workspace of an org, upgrading it if needed; null when there is no such org.</summary>
    public async Task<DefaultWorkspace?> GetDefaultWorkspaceAsync(string orgId, CancellationToken ct = default) =>
        await GetOrgAsync(orgId, ct) is { } org ? await EnsureDefaultWorkspaceAsync(org, ct) : null;

    /// <summary>Points the org's default workspace at another of its workspaces; false when it is not one of them.</summary>
    public async Task<bool> SetDefaultWorkspaceAsync(string orgId, string workspaceId, CancellationToken ct = default)
    {
        if (!(await ListWorkspacesAsync(orgId, ct)).Any(w => w.WorkspaceId == workspaceId)) return false;
        await Directory.UpdateEntityAsync(new TableEntity(OrgsPartition, orgId) { ["default_workspace_id"] = workspaceId }, Azure.ETag.All, TableUpdateMode.Merge, ct);
        return true;
    }

    public async Task<Organization?> GetOrgAsync(string orgId, CancellationToken ct = default)
    {
        if (!Ids.TryNormalizeUuid(orgId, out orgId)) return null;
        var e = await tables.GetAsync(Directory, OrgsPartition, orgId, ct: ct);
        return e is null ? null : ToOrg(e);
    }

    public IAsyncEnumerable<Organization> ListOrgsAsync(CancellationToken ct = default) =>
        tables.QueryAsync(Directory, TableClient.CreateQueryFilter($"PartitionKey eq {OrgsPartition}"), ct: ct).Select(ToOrg);

    private static Organization ToOrg(TableEntity e) =>
        new(e.RowKey, e.GetString("name") ?? "", Timestamps.ParseDayKey(e.GetString("created_day") ?? ""),
            e.GetString("default_workspace_id") is { Length: > 0 } d ? d : null) { CreatedAt = e.GetDateTimeOffset("created_at") };

    /// <summary>
    /// Registers or renames a workspace of an org. Workspace ids are scoped by org: the platform's tenant
    /// ids are chosen by each customer's deployment, so two orgs may report the same UUID and each sees
    /// only its own (nothing global to claim, squat or leak).
    /// </summary>
    public async Task CreateWorkspaceAsync(string orgId, string workspaceId, string name, CancellationToken ct = default) =>
        await Directory.UpsertEntityAsync(new TableEntity(orgId, "workspace|" + workspaceId) { ["name"] = name }, TableUpdateMode.Merge, ct);

    /// <summary>
    /// Records workspace and project ids seen in an org's usage, in as few entity-group transactions as
    /// possible (one partition per org, 100 rows each). Merges without a name, so a name an operator set
    /// is kept and an unknown id reads as an empty name.
    /// </summary>
    public async Task RecordSeenAsync(string orgId, IReadOnlyCollection<string> workspaceIds, IReadOnlyCollection<(string Workspace, string Project)> projects, CancellationToken ct = default)
    {
        var actions = workspaceIds.Where(w => w.Length > 0)
            .Select(w => new TableEntity(orgId, "workspace|" + w))
            .Concat(projects.Where(p => p.Project.Length > 0)
                .Select(p => new TableEntity(orgId, "project|" + KeyPart.Of(p.Project)) { ["project_id"] = p.Project, ["workspace_id"] = p.Workspace }))
            .DistinctBy(e => e.RowKey, StringComparer.Ordinal)
            .Select(e => new TableTransactionAction(TableTransactionActionType.UpsertMerge, e));
        await Directory.SubmitInBatchesAsync(actions, ct);
    }

    public async Task<IReadOnlyList<Workspace>> ListWorkspacesAsync(string orgId, CancellationToken ct = default) =>
        await tables.QueryAsync(Directory, TableWrites.RowKeyPrefix(orgId, "workspace|"), ct: ct)
            .Select(e => new Workspace(e.RowKey["workspace|".Length..], e.GetString("name") ?? ""))
            .ToListAsync(ct);

    public async Task<User> CreateUserAsync(string orgId, string email, IReadOnlyList<string> workspaceIds, CancellationToken ct = default)
    {
        var user = new User(Ids.NewId(), email, workspaceIds);
        await Directory.AddEntityAsync(new TableEntity(orgId, "user|" + user.UserId)
        {
            ["email"] = email, ["workspaces"] = string.Join(',', workspaceIds),
        }, ct);
        return user;
    }

    public async Task<User?> GetUserAsync(string orgId, string userId, CancellationToken ct = default)
    {
        var e = await tables.GetAsync(Directory, orgId, "user|" + userId, ct: ct);
        return e is null ? null : ToUser(e);
    }

    public async Task<IReadOnlyList<User>> ListUsersAsync(string orgId, CancellationToken ct = default) =>
        await tables.QueryAsync(Directory, TableWrites.RowKeyPrefix(orgId, "user|"), ct: ct).Select(ToUser).ToListAsync(ct);

    private static User ToUser(TableEntity e) => new(
        e.RowKey["user|".Length..],
        e.GetString("email") ?? "",
        (e.GetString("workspaces") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries));

    public async Task NameProjectAsync(string orgId, string projectId, string name, CancellationToken ct = default) =>
        await Directory.UpsertEntityAsync(new TableEntity(orgId, "project|" + KeyPart.Of(projectId))
        {
            ["project_id"] = projectId, ["name"] = name,
        }, TableUpdateMode.Merge, ct);

    /// <summary>A project's name (one point read; "" when it has none), for views that must not list every project of an org.</summary>
    public async Task<string> GetProjectNameAsync(string orgId, string projectId, CancellationToken ct = default) =>
        projectId.Length == 0 ? ""
        : (await tables.GetAsync(Directory, orgId, "project|" + KeyPart.Of(projectId), ["name"], ct))?.GetString("name") ?? "";

    public async Task<IReadOnlyList<Project>> ListProjectsAsync(string orgId, CancellationToken ct = default) =>
        await tables.QueryAsync(Directory, TableWrites.RowKeyPrefix(orgId, "project|"), ct: ct)
            .Select(e => new Project(e.GetString("project_id") ?? "", e.GetString("name") ?? "", e.GetString("workspace_id") ?? ""))
            .ToListAsync(ct);
}
