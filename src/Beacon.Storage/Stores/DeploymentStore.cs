using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Beacon.Domain.Fleet;

namespace Beacon.Storage.Stores;

/// <summary>
/// The fleet view's one entity per deployment (PK = org id, RK = credential|workspace|project), merged
/// from what instances observed (docs/decisions/0011-vendor-console.md). Listing the fleet reads one
/// entity per deployment, never the usage windows. Merges are read-modify-write under the ETag with
/// writer tokens (<see cref="Counter"/>), so concurrent instances and lost answers add nothing twice.
/// </summary>
public sealed class DeploymentStore(Tables tables)
{
    public async Task MergeAsync(string orgId, DeploymentKey key, DeploymentActivity observed, DateTimeOffset now, CancellationToken ct = default) =>
        await Counter.UpdateAsync(tables, tables.Deployments, orgId, key.RowKey, stored =>
        {
            var activity = stored is null ? new DeploymentActivity() : Read(stored).Activity;
            activity.Absorb(observed);
            activity.Prune(now);
            return ToEntity(orgId, key, activity);
        }, ct);

    /// <summary>Every deployment, or an org's, or a license's (one entity each).</summary>
    public async Task<IReadOnlyList<StoredDeployment>> ListAsync(string? orgId = null, string? licenseId = null, CancellationToken ct = default)
    {
        var filters = new List<string>();
        if (orgId is not null) filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {orgId}"));
        if (licenseId is not null) filters.Add(TableClient.CreateQueryFilter($"license_id eq {licenseId}"));
        var filter = filters.Count == 0 ? "" : string.Join(" and ", filters);
        return await tables.QueryAsync(tables.Deployments, filter, ct: ct).Select(Read).ToListAsync(ct);
    }

    private static TableEntity ToEntity(string orgId, DeploymentKey key, DeploymentActivity a) => new(orgId, key.RowKey)
    {
        ["credential_kind"] = key.CredentialKind,
        ["credential_id"] = key.CredentialId,
        ["license_id"] = key.LicenseId ?? "",
        ["workspace_id"] = key.WorkspaceId,
        ["project_id"] = key.ProjectId,
        ["first_report_at"] = a.FirstReportAt,
        ["last_report_at"] = a.LastReportAt,
        ["latest_to_us"] = a.LatestToMicros,
        ["client"] = JsonSerializer.Serialize(a.Client),
        ["features"] = JsonSerializer.Serialize(a.Features),
        ["gauges"] = JsonSerializer.Serialize(a.Gauges),
        ["chains"] = JsonSerializer.Serialize(a.Chains.Select(c => new long[] { c.FirstFromMicros, c.LastFromMicros, c.HeadMicros, c.LastSeenAt.ToUnixTimeMilliseconds() })),
        ["hours"] = JsonSerializer.Serialize(a.Hours.ToDictionary(h => h.Key.ToString(CultureInfo.InvariantCulture), h => new[] { h.Value.Runs, h.Value.Nodes })),
    };

    private static StoredDeployment Read(TableEntity e)
    {
        var key = new DeploymentKey(e.GetString("credential_kind") ?? "", e.GetString("credential_id") ?? "", e.GetString("workspace_id") ?? "", e.GetString("project_id") ?? "");
        var activity = DeploymentActivity.Restore(
            e.GetDateTimeOffset("first_report_at"),
            e.GetDateTimeOffset("last_report_at"),
            e.GetInt64("latest_to_us") ?? long.MinValue,
            Json<Dictionary<string, string>>(e, "client"),
            Json<Dictionary<string, string>>(e, "features"),
            Json<Dictionary<string, double>>(e, "gauges"),
            Json<List<long[]>>(e, "chains").Select(c => new ReplicaChain(c[0], c[1], c[2], DateTimeOffset.FromUnixTimeMilliseconds(c[3]))),
            Json<Dictionary<string, long[]>>(e, "hours").Select(h => KeyValuePair.Create(long.Parse(h.Key, CultureInfo.InvariantCulture), (h.Value[0], h.Value[1]))));
        return new StoredDeployment(e.PartitionKey, key, activity);
    }

    private static T Json<T>(TableEntity e, string name) where T : new() =>
        e.GetString(name) is { Length: > 0 } text ? JsonSerializer.Deserialize<T>(text) ?? new T() : new T();
}
