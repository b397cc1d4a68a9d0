using System.Text.Json.Nodes;
using Beacon.Domain.Meters;
using Beacon.Domain.Quotas;
using Beacon.Domain;
using Beacon.Domain.Time;
using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;
using Beacon.Operations;
using Beacon.Tokens;

namespace Beacon.Cli;

/// <summary>
/// <c>beacon admin …</c>: the operator commands of SPEC §8 and §12. Every change is appended to the
/// audit log with the actor <c>cli</c>, after it was made, with ids and names only (never a secret).
/// </summary>
internal sealed class AdminCommands(IServiceProvider services, CliOutput output)
{
    private DirectoryStore Directory => services.GetRequiredService<DirectoryStore>();
    private CredentialStore Credentials => services.GetRequiredService<CredentialStore>();

    private LicenseActions Actions => services.GetRequiredService<LicenseActions>();

    private Task AuditAsync(string action, string target, CancellationToken ct, params (string Key, string? Value)[] detail) =>
        services.GetRequiredService<AuditLog>().AppendAsync(AuditLog.CliActor, action, target, detail.ToDictionary(d => d.Key, d => d.Value), ct);

    public async Task<int> RunAsync(CliArgs args, CancellationToken ct)
    {
        var w = args.Words;
        string What(int i) => w.Count > i ? w[i] : "";
        return (What(1), What(2)) switch
        {
            ("org", "create") => await CreateOrgAsync(args, ct),
            ("org", "set-default-workspace") => await SetDefaultWorkspaceAsync(args, ct),
            ("workspace", "create") => await CreateWorkspaceAsync(args, ct),
            ("user", "create") => await CreateUserAsync(args, ct),
            ("apikey", "create") => await CreateApiKeyAsync(args, ct),
            ("apikey", "revoke") => await RevokeApiKeyAsync(args, ct),
            ("apikey", "list") => await ListApiKeysAsync(args, ct),
            ("license", "create") => await CreateLicenseAsync(args, ct),
            ("license", "suspend") => await SetLicenseStatusAsync(args, LicenseStatus.Suspended, ct),
            ("license", "revoke") => await SetLicenseStatusAsync(args, LicenseStatus.Revoked, ct),
            ("license", "activate") => await SetLicenseStatusAsync(args, LicenseStatus.Active, ct),
            ("license", "extend") => await ExtendLicenseAsync(args, ct),
            ("license", "list") => await ListLicensesAsync(args, ct),
            ("license", "offline-key") => await OfflineKeyAsync(args, ct),
            ("operator", "create") => await CreateOperatorAsync(args, ct),
            ("operator", "revoke") => await RevokeOperatorAsync(args, ct),
            ("operator", "list") => await ListOperatorsAsync(ct),
            ("project", "name") => await NameProjectAsync(args, ct),
            ("signing-key", "rotate") => await RotateSigningKeyAsync(ct),
            ("webhook", var what) => await new WebhookCommands(services, output).RunAsync(args, what, ct),
            _ => throw new CliUsageException($"Unknown admin command '{What(1)} {What(2)}'. See `beacon help`."),
        };
    }

    private async Task<int> CreateOrgAsync(CliArgs a, CancellationToken ct)
    {
        var org = await Directory.CreateOrgAsync(a.Required("name"), ct);
        await AuditAsync("org.create", "org:" + org.OrgId, ct, ("name", org.Name), ("default_workspace_id", org.DefaultWorkspaceId));
        output.Result(new JsonObject { ["org_id"] = org.OrgId },
            $"Created organization {org.Name}: {org.OrgId} (default workspace {org.DefaultWorkspaceId})");
        return 0;
    }

    private async Task<int> SetDefaultWorkspaceAsync(CliArgs a, CancellationToken ct)
    {
        var orgId = await RequireOrgAsync(a, ct);
        var workspace = Uuid(a.Required("workspace"), "workspace");
        if (!await Directory.SetDefaultWorkspaceAsync(orgId, workspace, ct)) return output.Fail($"Workspace {workspace} does not belong to organization {orgId}.");
        // The fleet view shows deployments without a workspace in the default one, from their own records.
        await services.GetRequiredService<DeploymentStore>().SetDefaultWorkspaceAsync(orgId, workspace, ct);
        await AuditAsync("org.set_default_workspace", "org:" + orgId, ct, ("workspace_id", workspace));
        output.Result(new JsonObject { ["org_id"] = orgId, ["default_workspace_id"] = workspace },
            $"Usage reported without a workspace now shows in workspace {workspace} (all of it, earlier usage included).");
        return 0;
    }

    private async Task<string> RequireOrgAsync(CliArgs a, CancellationToken ct)
    {
        var id = a.Required("org");
        var org = await Directory.GetOrgAsync(id, ct) ?? throw new CliUsageException($"No organization {id}.");
        return org.OrgId;
    }

    private static string Uuid(string value, string option) =>
        Ids.TryNormalizeUuid(value, out var id) ? id : throw new CliUsageException($"--{option} must be a UUID, got '{value}'.");

    private async Task<IReadOnlyList<string>> RequireWorkspacesAsync(string orgId, IReadOnlyList<string> ids, CancellationToken ct)
    {
        var known = (await Directory.ListWorkspacesAsync(orgId, ct)).Select(x => x.WorkspaceId).ToHashSet();
        var list = ids.Select(i => Uuid(i, "workspace")).Distinct().ToList();
        foreach (var id in list)
            if (!known.Contains(id)) throw new CliUsageException($"Workspace {id} does not belong to organization {orgId}.");
        return list;
    }

    private async Task<int> CreateWorkspaceAsync(CliArgs a, CancellationToken ct)
    {
        var orgId = await RequireOrgAsync(a, ct);
        // --id registers a workspace the platform already knows (its tenant id); otherwise a new UUID.
        var id = a.Optional("id") is { } given ? Uuid(given, "id") : Ids.NewId();
        await Directory.CreateWorkspaceAsync(orgId, id, a.Required("name"), ct);
        await AuditAsync("workspace.create", "workspace:" + id, ct, ("org_id", orgId), ("name", a.Required("name")));
        output.Result(new JsonObject { ["workspace_id"] = id }, $"Workspace {a.Required("name")}: {id}");
        return 0;
    }

    private async Task<int> CreateUserAsync(CliArgs a, CancellationToken ct)
    {
        var orgId = await RequireOrgAsync(a, ct);
        var workspaces = await RequireWorkspacesAsync(orgId, a.All("workspace"), ct);
        var user = await Directory.CreateUserAsync(orgId, a.Required("email"), workspaces, ct);
        await AuditAsync("user.create", "user:" + user.UserId, ct, ("org_id", orgId), ("email", user.Email), ("workspace_ids", string.Join(',', workspaces)));
        output.Result(new JsonObject { ["user_id"] = user.UserId }, $"User {user.Email}: {user.UserId}");
        return 0;
    }

    private async Task<int> CreateApiKeyAsync(CliArgs a, CancellationToken ct)
    {
        var orgId = await RequireOrgAsync(a, ct);
        string? userId = null;
        if (a.Optional("user") is { } u)
        {
            userId = Uuid(u, "user");
            if (await Directory.GetUserAsync(orgId, userId, ct) is null) throw new CliUsageException($"No user {userId} in organization {orgId}.");
        }
        var workspaces = await RequireWorkspacesAsync(orgId, a.All("workspace"), ct);
        var permissions = a.All("permission").Count > 0 ? a.All("permission") : [ApiKeyRecord.OrganizationRead];
        if (permissions.FirstOrDefault(p => !ApiKeyRecord.KnownPermissions.Contains(p)) is { } unknown)
            throw new CliUsageException($"Unknown permission '{unknown}'. Known: {string.Join(", ", ApiKeyRecord.KnownPermissions)}.");
        if (permissions.Contains(ApiKeyRecord.OrganizationRead) && userId is not null)
        {
            // A key that belongs to a user reads the user's workspaces (within --workspace): refuse a key that could read none.
            var user = (await Directory.GetUserAsync(orgId, userId, ct))!;
            var readable = user.WorkspaceIds.Where(w => workspaces.Count == 0 || workspaces.Contains(w)).ToList();
            if (readable.Count == 0)
                throw new CliUsageException(workspaces.Count == 0
                    ? $"User {userId} has no workspace, so this key could read nothing. Create the user with --workspace, or leave out --user."
                    : $"User {userId} has none of the given workspaces, so this key could read nothing.");
        }
        var (secret, record) = await Credentials.CreateApiKeyAsync(orgId, userId, permissions, workspaces, ct);
        await AuditAsync("apikey.create", "apikey:" + record.KeyId, ct, ("org_id", orgId), ("user_id", userId),
            ("permissions", string.Join(',', permissions)), ("workspace_ids", workspaces.Count == 0 ? "*" : string.Join(',', workspaces)));
        output.Result(
            new JsonObject { ["api_key"] = secret, ["api_key_id"] = record.KeyId, ["api_key_short_key"] = record.ShortKey },
            $"API key {record.ShortKey} ({record.KeyId}). Shown once, store it now:\n{secret}");
        return 0;
    }

    private async Task<int> RevokeApiKeyAsync(CliArgs a, CancellationToken ct)
    {
        var orgId = await RequireOrgAsync(a, ct);
        var id = a.Required("id");
        if (!await Credentials.RevokeApiKeyAsync(orgId, id, ct)) return output.Fail($"No API key {id} in organization {orgId}.");
        await AuditAsync("apikey.revoke", "apikey:" + id, ct, ("org_id", orgId));
        output.Result(new JsonObject { ["api_key_id"] = id, ["revoked"] = true }, $"Revoked API key {id}. It stops working within a minute.");
        return 0;
    }

    private async Task<int> ListApiKeysAsync(CliArgs a, CancellationToken ct)
    {
        var orgId = await RequireOrgAsync(a, ct);
        var keys = await Credentials.ListApiKeysAsync(orgId, ct);
        var lines = keys.Select(k => $"{k.ShortKey}  {k.KeyId}  {(k.IsRevoked ? $"revoked {k.RevokedAt:yyyy-MM-dd}" : "active")}  "
            + $"user {(k.UserId.Length > 0 ? k.UserId : "-")}  permissions {(k.Permissions.Count > 0 ? string.Join(',', k.Permissions) : "none (reporting only)")}  "
            + $"workspaces {(k.WorkspaceScope is null ? "all" : string.Join(',', k.WorkspaceScope))}  last used {(k.LastUsedAt is { } u ? u.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "never")}").ToList();
        output.Listing(new JsonObject
        {
            ["api_keys"] = CliJson.Objects(keys, k => new JsonObject
            {
                ["api_key_id"] = k.KeyId,
                ["api_key_short_key"] = k.ShortKey,
                ["user_id"] = NullIfEmpty(k.UserId),
                ["permissions"] = CliJson.Strings(k.Permissions),
                ["workspace_ids"] = CliJson.Strings(k.WorkspaceScope),
                ["created_at"] = k.CreatedAt,
                ["revoked_at"] = k.RevokedAt,
                ["last_used_at"] = k.LastUsedAt,
            }),
        }, lines, $"Organization {orgId} has no API keys.");
        return 0;
    }

    private async Task<int> CreateLicenseAsync(CliArgs a, CancellationToken ct)
    {
        var orgId = await RequireOrgAsync(a, ct);
        DateTimeOffset? expires = null;
        if (a.Optional("expires") is { } x)
            expires = Timestamps.TryParseQueryTime(x, out var micros)
                ? Timestamps.ToDateTimeOffset(micros)
                : throw new CliUsageException("--expires must be an ISO 8601 date-time with an offset, or a date.");
        var quotas = QuotaParser.Parse(services.GetRequiredService<MeterCatalog>(), a.All("quota"));
        if (!quotas.IsValid) throw new CliUsageException(string.Join(" ", quotas.Errors.Select(e => e.Message)));
        var (secret, record) = await Credentials.CreateLicenseAsync(orgId, a.Required("plan"), expires, a.All("entitlement"), quotas.Value, ct);
        await AuditAsync("license.create", "license:" + record.LicenseId, ct, ("org_id", orgId), ("plan", record.Plan),
            ("expires_at", record.ExpiresAt?.ToString("O")), ("entitlements", string.Join(',', record.Entitlements)),
            ("quotas", string.Join(',', record.Quotas.Select(q => $"{q.Metric}={q.Limit}"))));
        output.Result(
            new JsonObject { ["license_key"] = secret, ["license_id"] = record.LicenseId },
            $"License {record.LicenseId} ({record.Plan}). Shown once, store it now:\n{secret}");
        return 0;
    }

    private async Task<int> SetLicenseStatusAsync(CliArgs a, LicenseStatus status, CancellationToken ct)
    {
        var orgId = await RequireOrgAsync(a, ct);
        var id = Uuid(a.Required("id"), "id");
        if (await Actions.SetStatusAsync(id, orgId, status, AuditLog.CliActor, ct) is null) return output.Fail($"No license {id} in organization {orgId}.");
        var name = LicenseActions.Name(status);
        output.Result(new JsonObject { ["license_id"] = id, ["status"] = name }, $"License {id} is now {name}.");
        return 0;
    }

    private async Task<int> ExtendLicenseAsync(CliArgs a, CancellationToken ct)
    {
        var orgId = await RequireOrgAsync(a, ct);
        var id = Uuid(a.Required("id"), "id");
        if (Actions.ReadExpiry(a.Required("expires"), out var expires) is { } why) throw new CliUsageException("--expires " + why);
        if (await Actions.ExtendAsync(id, orgId, expires, AuditLog.CliActor, ct) is null) return output.Fail($"No license {id} in organization {orgId}.");
        output.Result(new JsonObject { ["license_id"] = id, ["expires_at"] = expires }, $"License {id} now expires at {expires:O}.");
        return 0;
    }

    private async Task<int> OfflineKeyAsync(CliArgs a, CancellationToken ct)
    {
        var orgId = await RequireOrgAsync(a, ct);
        var id = Uuid(a.Required("id"), "id");
        if (!Timestamps.TryParseQueryTime(a.Required("expires"), out var micros))
            throw new CliUsageException("--expires must be an ISO 8601 date-time with an offset, or a date.");
        var outcome = await services.GetRequiredService<OfflineKeyIssuer>().IssueAsync(id, orgId, Timestamps.ToDateTimeOffset(micros), AuditLog.CliActor, ct);
        if (outcome.NotFound) return output.Fail($"No license {id} in organization {orgId}.");
        if (outcome.Refused == OfflineKeyTerms.Refusal.BadExpiry) throw new CliUsageException("--expires " + outcome.Reason);
        if (outcome.Refused is not null) return output.Fail(outcome.Reason!);
        var key = outcome.Key!;
        output.Result(new JsonObject { ["license_key"] = key.LicenseKey, ["license_id"] = key.LicenseId, ["kid"] = key.Kid, ["expires_at"] = key.ExpiresAt },
            $"Offline key for license {key.LicenseId}, valid until {key.ExpiresAt:O} (signed by {key.Kid}). Shown once, store it now:\n{key.LicenseKey}");
        return 0;
    }

    private async Task<int> CreateOperatorAsync(CliArgs a, CancellationToken ct)
    {
        var name = a.Required("name").Trim();
        if (name.Length is 0 or > 100 || name == AuditLog.CliActor)
            throw new CliUsageException($"--name must be 1 to 100 characters and not '{AuditLog.CliActor}' (it names the actor in the audit log).");
        var (secret, record) = await Credentials.CreateOperatorKeyAsync(name, ct);
        await AuditAsync("operator.create", "operator:" + record.OperatorId, ct, ("name", name));
        output.Result(new JsonObject { ["operator_key"] = secret, ["operator_id"] = record.OperatorId, ["name"] = name },
            $"Operator key for {name} ({record.OperatorId}). Shown once, store it now:\n{secret}");
        return 0;
    }

    private async Task<int> RevokeOperatorAsync(CliArgs a, CancellationToken ct)
    {
        var id = a.Required("id");
        if (await Credentials.RevokeOperatorKeyAsync(id, ct) is not { } record) return output.Fail($"No operator key {id}.");
        await AuditAsync("operator.revoke", "operator:" + id, ct, ("name", record.Name));
        output.Result(new JsonObject { ["operator_id"] = id, ["revoked"] = true }, $"Revoked the operator key of {record.Name}. It stops working within a minute.");
        return 0;
    }

    private async Task<int> ListOperatorsAsync(CancellationToken ct)
    {
        var keys = await Credentials.ListOperatorKeysAsync(ct);
        output.Listing(new JsonObject
        {
            ["operators"] = CliJson.Objects(keys, k => new JsonObject { ["operator_id"] = k.OperatorId, ["name"] = k.Name, ["created_at"] = k.CreatedAt, ["revoked_at"] = k.RevokedAt }),
        }, [.. keys.Select(k => $"{k.OperatorId}  {k.Name}  created {k.CreatedAt:yyyy-MM-dd}{(k.RevokedAt is { } r ? $"  revoked {r:yyyy-MM-dd}" : "")}")], "No operator keys.");
        return 0;
    }

    private async Task<int> ListLicensesAsync(CliArgs a, CancellationToken ct)
    {
        var orgId = await RequireOrgAsync(a, ct);
        var licenses = await Credentials.ListLicensesAsync(orgId, ct);
        output.Listing(new JsonObject
        {
            ["licenses"] = CliJson.Objects(licenses, l => new JsonObject
            {
                ["license_id"] = l.LicenseId,
                ["plan"] = l.Plan,
                ["entitlements"] = CliJson.Strings(l.Entitlements),
                ["status"] = l.Status.ToString().ToLowerInvariant(),
                ["expires_at"] = l.ExpiresAt,
                ["created_at"] = l.CreatedAt,
                ["quotas"] = CliJson.Objects(l.Quotas, q => new JsonObject { ["metric"] = q.Metric, ["limit"] = q.Limit }),
            }),
        }, [.. licenses.Select(l => $"{l.LicenseId}  {l.Plan}  {l.Status.ToString().ToLowerInvariant()}  expires {(l.ExpiresAt is { } e ? e.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "never")}"
            + (l.Quotas.Count > 0 ? "  quotas " + string.Join(',', l.Quotas.Select(q => $"{q.Metric}={q.Limit}")) : ""))], $"Organization {orgId} has no licenses.");
        return 0;
    }

    private async Task<int> NameProjectAsync(CliArgs a, CancellationToken ct)
    {
        var orgId = await RequireOrgAsync(a, ct);
        if (!Ids.TryNormalizeProjectId(a.Required("id"), out var projectId) || projectId.Length == 0)
            throw new CliUsageException("--id must be a project id.");
        await Directory.NameProjectAsync(orgId, projectId, a.Required("name"), ct);
        await AuditAsync("project.name", "project:" + projectId, ct, ("org_id", orgId), ("name", a.Required("name")));
        output.Result(new JsonObject { ["project_id"] = projectId, ["name"] = a.Required("name") }, $"Project {projectId} is now named {a.Required("name")}.");
        return 0;
    }

    private async Task<int> RotateSigningKeyAsync(CancellationToken ct)
    {
        var kid = await services.GetRequiredService<SigningKeyRing>().RotateAsync(ct);
        await AuditAsync("signing_key.rotate", "signing_key:" + kid, ct);
        output.Result(new JsonObject { ["kid"] = kid }, $"New signing key {kid}. The previous key stays published until the next rotation.");
        return 0;
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
