using System.Text.Json;
using Beacon.Domain.Alerts;
using Beacon.Domain.Fleet;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Alerts;

/// <summary>
/// <c>deployment.silent</c> when the sweep finds a reporting deployment past 660 s without a window, and
/// <c>deployment.resumed</c> when a silent one reports again (SPEC §18). The id is the deployment and the
/// number of its state change, so the sweep and a merge on two instances, or a change applied again after a
/// crash, emit one event.
/// </summary>
public sealed class DeploymentAlerts(AlertOutbox outbox, Tables tables, TimeProvider time) : IDeploymentStateChanges
{
    public async Task ChangedAsync(string orgId, string row, IndexedState state, CancellationToken ct)
    {
        var type = state.State == ReportingState.Silent ? EventTypes.DeploymentSilent
            : state.State == ReportingState.Reporting && state.From == ReportingState.Silent ? EventTypes.DeploymentResumed
            : null;
        if (type is null) return;
        var record = await tables.GetAsync(tables.Deployments, orgId, row, ["license_id", "workspace_id", "project_id", "last_report_at"], ct);
        if (record is null) return;
        var license = record.GetString("license_id") ?? "";
        var data = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["license_id"] = license.Length == 0 ? null : license,
            ["org_id"] = orgId,
            ["workspace_id"] = record.GetString("workspace_id") ?? "",
            ["project_id"] = record.GetString("project_id") ?? "",
            ["last_report_at"] = record.GetDateTimeOffset("last_report_at"),
        }, Stores.StorageJson.Default.DictionaryStringObject);
        await outbox.EmitAsync(new WebhookEvent(EventIds.Of(type, orgId, row, state.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture)), type, time.GetUtcNow(), data), ct: ct);
    }
}
