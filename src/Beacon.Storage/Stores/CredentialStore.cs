using Beacon.Domain.Quotas;
using System.Text.Json;
using Azure.Data.Tables;
using Beacon.Domain;
using Beacon.Domain.Credentials;

namespace Beacon.Storage.Stores;

/// <summary>
/// API keys and licenses. The record lives in the org's Directory partition; a second entity keyed by
/// the secret's hash (Credentials table) points to it, written after the record so it never dangles.
/// </summary>
public sealed class CredentialStore(Tables tables, TimeProvider time, FleetIndexStore fleet)
{
    private const string Row = "credential";
    private const string OperatorsPartition = "operators";
    private const string LicenseIndexPartition = "licenses";

    public async Task<(string ApiKey, ApiKeyRecord Record)> CreateApiKeyAsync(
        string orgId, string? userId, IReadOnlyList<string> permissions, IReadOnlyList<string>? workspaceScope, CancellationToken ct = default)
    {
        var secret = Secrets.NewApiKey();
        var record = new ApiKeyRecord(orgId, Ids.NewId(), Secrets.ShortKey(secret), userId ?? "", permissions,
            workspaceScope is { Count: > 0 } ? workspaceScope : null, time.GetUtcNow(), null, null, Secrets.Hash(secret));
        await tables.Directory.AddEntityAsync(new TableEntity(orgId, "apikey|" + record.KeyId)
        {
            ["hash"] = record.Hash,
            ["short_key"] = record.ShortKey,
            ["user_id"] = record.UserId,
            ["permissions"] = string.Join(',', permissions),
            ["workspace_scope"] = record.WorkspaceScope is null ? "*" : string.Join(',', record.WorkspaceScope),
            ["created_at"] = record.CreatedAt,
        }, ct);
        await IndexAsync(record.Hash, "apikey", orgId, record.KeyId, ct);
        return (secret, record);
    }

    public async Task<(string LicenseKey, LicenseRecord Record)> CreateLicenseAsync(
        string orgId, string plan, DateTimeOffset? expiresAt, IReadOnlyList<string> entitlements, IReadOnlyList<Quota>? quotas = null, CancellationToken ct = default)
    {
        var secret = Secrets.NewLicenseKey();
        var record = new LicenseRecord(orgId, Ids.NewId(), plan, entitlements, expiresAt, LicenseStatus.Active, time.GetUtcNow(), Secrets.Hash(secret))
        {
            Quotas = quotas ?? [],
        };
        var e = new TableEntity(orgId, "license|" + record.LicenseId)
        {
            ["hash"] = record.Hash,
            ["plan"] = plan,
            ["entitlements"] = JsonSerializer.Serialize([.. entitlements], StorageJson.Default.StringArray),
            ["status"] = "active",
            ["created_at"] = record.CreatedAt,
            ["quotas"] = QuotasJson.Write(record.Quotas),
        };
        if (expiresAt is { } x) e["expires_at"] = x;
        await tables.Directory.AddEntityAsync(e, ct);
        await IndexLicenseIdAsync(orgId, record.LicenseId, ct);
        await fleet.AddLicenseAsync(orgId, record.LicenseId, ct);
        await IndexAsync(record.Hash, "license", orgId, record.LicenseId, ct);
        return (secret, record);
    }

    private async Task IndexLicenseIdAsync(string orgId, string licenseId, CancellationToken ct) =>
        await tables.Directory.UpsertEntityAsync(new TableEntity(LicenseIndexPartition, licenseId) { ["org_id"] = orgId }, TableUpdateMode.Replace, ct);

    /// <summary>Upgrade step for licenses created before the id index existed; returns how many it indexed.</summary>
    public async Task<int> IndexLicenseIdsAsync(string orgId, CancellationToken ct = default)
    {
        int added = 0;
        foreach (var license in await ListLicensesAsync(orgId, ct))
        {
            if (await tables.GetAsync(tables.Directory, LicenseIndexPartition, license.LicenseId, ct: ct) is not null) continue;
            await IndexLicenseIdAsync(orgId, license.LicenseId, ct);
            added++;
        }
        return added;
    }

    /// <summary>Upgrade step: lists an org's licenses the fleet index does not know yet (created before it) as never reported; returns how many.</summary>
    public async Task<int> IndexLicensesInFleetAsync(string orgId, CancellationToken ct = default)
    {
        int added = 0;
        foreach (var license in await ListLicensesAsync(orgId, ct))
            if (await fleet.AddLicenseIfUnknownAsync(orgId, license.LicenseId, ct)) added++;
        return added;
    }

    /// <summary>A license by its id alone (the operator API names licenses without their org); null when unknown.</summary>
    public async Task<LicenseRecord?> GetLicenseAsync(string licenseId, CancellationToken ct = default)
    {
        if (!Ids.TryNormalizeUuid(licenseId, out licenseId)) return null;
        var index = await tables.GetAsync(tables.Directory, LicenseIndexPartition, licenseId, ct: ct);
        if (index?.GetString("org_id") is not { } orgId) return null;
        var e = await tables.GetAsync(tables.Directory, orgId, "license|" + licenseId, ct: ct);
        return e is null ? null : ToLicense(e);
    }

    /// <summary>A license of a known org (one point read); null when unknown.</summary>
    public async Task<LicenseRecord?> GetLicenseAsync(string orgId, string licenseId, CancellationToken ct = default) =>
        await tables.GetAsync(tables.Directory, orgId, "license|" + licenseId, ct: ct) is { } e ? ToLicense(e) : null;

    /// <summary>Every license of every org (one query for the index, one per org with licenses).</summary>
    public async Task<IReadOnlyList<LicenseRecord>> ListAllLicensesAsync(CancellationToken ct = default)
    {
        var orgs = await tables.QueryAsync(tables.Directory, TableClient.CreateQueryFilter($"PartitionKey eq {LicenseIndexPartition}"), ["org_id"], ct)
            .Select(e => e.GetString("org_id") ?? "").Distinct().ToListAsync(ct);
        var all = new List<LicenseRecord>();
        foreach (var org in orgs) all.AddRange(await ListLicensesAsync(org, ct));
        return all;
    }

    public async Task<bool> SetLicenseExpiryAsync(string orgId, string licenseId, DateTimeOffset expiresAt, CancellationToken ct = default)
    {
        if (await tables.GetAsync(tables.Directory, orgId, "license|" + licenseId, ct: ct) is null) return false;
        await tables.Directory.UpsertEntityAsync(new TableEntity(orgId, "license|" + licenseId) { ["expires_at"] = expiresAt }, TableUpdateMode.Merge, ct);
        return true;
    }

    public async Task<(string OperatorKey, OperatorKeyRecord Record)> CreateOperatorKeyAsync(string name, CancellationToken ct = default)
    {
        var secret = Secrets.NewOperatorKey();
        var record = new OperatorKeyRecord(Ids.NewId(), name, time.GetUtcNow(), null, Secrets.Hash(secret));
        await tables.Directory.AddEntityAsync(new TableEntity(OperatorsPartition, "operator|" + record.OperatorId)
        {
            ["hash"] = record.Hash, ["name"] = name, ["created_at"] = record.CreatedAt,
        }, ct);
        await IndexAsync(record.Hash, "operator", OperatorsPartition, record.OperatorId, ct);
        return (secret, record);
    }

    public async Task<OperatorKeyRecord?> FindOperatorKeyAsync(string operatorKey, CancellationToken ct = default)
    {
        var record = await FindAsync(operatorKey, "operator", ct);
        return record is null ? null : ToOperator(record);
    }

    public async Task<OperatorKeyRecord?> RevokeOperatorKeyAsync(string operatorId, CancellationToken ct = default)
    {
        var existing = await tables.GetAsync(tables.Directory, OperatorsPartition, "operator|" + operatorId, ct: ct);
        if (existing is null) return null;
        if (existing.GetDateTimeOffset("revoked_at") is null)
            await tables.Directory.UpsertEntityAsync(new TableEntity(OperatorsPartition, "operator|" + operatorId) { ["revoked_at"] = time.GetUtcNow() }, TableUpdateMode.Merge, ct);
        return ToOperator(existing);
    }

    public async Task<IReadOnlyList<OperatorKeyRecord>> ListOperatorKeysAsync(CancellationToken ct = default) =>
        await tables.QueryAsync(tables.Directory, TableWrites.RowKeyPrefix(OperatorsPartition, "operator|"), ct: ct).Select(ToOperator).ToListAsync(ct);

    private static OperatorKeyRecord ToOperator(TableEntity e) => new(
        e.RowKey["operator|".Length..], e.GetString("name") ?? "", e.GetDateTimeOffset("created_at") ?? DateTimeOffset.MinValue,
        e.GetDateTimeOffset("revoked_at"), e.GetString("hash") ?? "");

    private async Task IndexAsync(string hash, string kind, string orgId, string id, CancellationToken ct) =>
        await tables.Credentials.AddEntityAsync(new TableEntity(hash, Row) { ["kind"] = kind, ["org_id"] = orgId, ["id"] = id }, ct);

    /// <summary>Finds the API key whose plaintext is <paramref name="apiKey"/>; null when unknown.</summary>
    public async Task<ApiKeyRecord?> FindApiKeyAsync(string apiKey, CancellationToken ct = default)
    {
        var record = await FindAsync(apiKey, "apikey", ct);
        return record is null ? null : ToApiKey(record);
    }

    public async Task<LicenseRecord?> FindLicenseAsync(string licenseKey, CancellationToken ct = default)
    {
        var record = await FindAsync(licenseKey, "license", ct);
        return record is null ? null : ToLicense(record);
    }

    private async Task<TableEntity?> FindAsync(string secret, string kind, CancellationToken ct)
    {
        if (!Secrets.IsPlausible(secret)) return null;
        var hash = Secrets.Hash(secret);
        var index = await tables.GetAsync(tables.Credentials, hash, Row, ct: ct);
        if (index is null || index.GetString("kind") != kind) return null;
        var record = await tables.GetAsync(tables.Directory, index.GetString("org_id") ?? "", kind + "|" + index.GetString("id"), ct: ct);
        // Defence in depth: the record must carry the same hash, compared in constant time.
        return record is not null && Secrets.HashMatches(secret, record.GetString("hash") ?? "") ? record : null;
    }

    public async Task<bool> RevokeApiKeyAsync(string orgId, string keyId, CancellationToken ct = default)
    {
        var existing = await tables.GetAsync(tables.Directory, orgId, "apikey|" + keyId, ct: ct);
        if (existing is null) return false;
        if (existing.GetDateTimeOffset("revoked_at") is not null) return true;
        await tables.Directory.UpsertEntityAsync(new TableEntity(orgId, "apikey|" + keyId) { ["revoked_at"] = time.GetUtcNow() }, TableUpdateMode.Merge, ct);
        return true;
    }

    /// <summary>Records when a key was last used. Callers throttle this; it is diagnostics, not billing.</summary>
    public async Task TouchApiKeyAsync(string orgId, string keyId, DateTimeOffset when, CancellationToken ct = default) =>
        await tables.Directory.UpsertEntityAsync(new TableEntity(orgId, "apikey|" + keyId) { ["last_used_at"] = when }, TableUpdateMode.Merge, ct);

    public async Task<bool> SetLicenseStatusAsync(string orgId, string licenseId, LicenseStatus status, CancellationToken ct = default)
    {
        if (await tables.GetAsync(tables.Directory, orgId, "license|" + licenseId, ct: ct) is null) return false;
        await tables.Directory.UpsertEntityAsync(new TableEntity(orgId, "license|" + licenseId)
        {
            ["status"] = status.ToString().ToLowerInvariant(), ["status_changed_at"] = time.GetUtcNow(),
        }, TableUpdateMode.Merge, ct);
        return true;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string orgId, CancellationToken ct = default) =>
        await tables.QueryAsync(tables.Directory, TableWrites.RowKeyPrefix(orgId, "apikey|"), ct: ct).Select(ToApiKey).ToListAsync(ct);

    public async Task<IReadOnlyList<LicenseRecord>> ListLicensesAsync(string orgId, CancellationToken ct = default) =>
        await tables.QueryAsync(tables.Directory, TableWrites.RowKeyPrefix(orgId, "license|"), ct: ct).Select(ToLicense).ToListAsync(ct);

    private static ApiKeyRecord ToApiKey(TableEntity e)
    {
        var scope = e.GetString("workspace_scope") ?? "";
        return new ApiKeyRecord(
            e.PartitionKey,
            e.RowKey["apikey|".Length..],
            e.GetString("short_key") ?? "",
            e.GetString("user_id") ?? "",
            (e.GetString("permissions") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
            scope == "*" ? null : scope.Split(',', StringSplitOptions.RemoveEmptyEntries),
            e.GetDateTimeOffset("created_at") ?? DateTimeOffset.MinValue,
            e.GetDateTimeOffset("revoked_at"),
            e.GetDateTimeOffset("last_used_at"),
            e.GetString("hash") ?? "");
    }

    private static LicenseRecord ToLicense(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey["license|".Length..],
        e.GetString("plan") ?? "",
        JsonSerializer.Deserialize(e.GetString("entitlements") ?? "[]", StorageJson.Default.StringArray) ?? [],
        e.GetDateTimeOffset("expires_at"),
        Enum.Parse<LicenseStatus>(e.GetString("status") ?? "active", ignoreCase: true),
        e.GetDateTimeOffset("created_at") ?? DateTimeOffset.MinValue,
        e.GetString("hash") ?? "")
    {
        Quotas = QuotasJson.Read(e.GetString("quotas")),
    };
}
