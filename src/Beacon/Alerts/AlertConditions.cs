using Beacon.Domain.Alerts;
using Beacon.Domain.Credentials;
using Beacon.Domain.Quotas;
using Beacon.Domain.Statements;
using Beacon.Operations;
using Beacon.Storage.Alerts;
using Beacon.Storage.Statements;
using Beacon.Storage.Stores;

namespace Beacon.Alerts;

/// <summary>
/// The state-based events (SPEC §18), evaluated by every alerts run: a license 14 and 3 days before it
/// expires and once expired; a quota's first crossing of 80 % and of 100 % per license, metric and month
/// (a jump past both emits the warning, then the exceeded). Each event's id names its condition, so the
/// same condition seen by two instances, or by every run while it holds, is one event; a point read
/// skips the ones already emitted. (Deployments going silent and resuming are emitted as the fleet sweep
/// changes their state: <see cref="DeploymentAlerts"/>.)
/// </summary>
public sealed class AlertConditions(DirectoryStore directory, CredentialStore credentials, QuotaMeter quotas, WebhookStore store, AlertOutbox outbox, TimeProvider time)
{
    /// <summary>An expiry older than this is not announced any more (Beacon was down longer than that).</summary>
    private static readonly TimeSpan ExpiredLookback = TimeSpan.FromDays(7);

    private static readonly int[] ExpiringDays = [14, 3];

    public async Task<int> EvaluateAsync(CancellationToken ct)
    {
        int emitted = 0;
        var now = time.GetUtcNow();
        await foreach (var org in directory.ListOrgsAsync(ct))
        {
            var licenses = await credentials.ListLicensesAsync(org.OrgId, ct);
            foreach (var license in licenses)
                emitted += await ExpiryAsync(license, now, ct);
            var withQuotas = licenses.Where(l => l.Quotas.Count > 0).ToList();
            if (withQuotas.Count == 0) continue;
            var totals = await quotas.ReadOrgAsync(org.OrgId, ct);
            foreach (var license in withQuotas)
                foreach (var status in quotas.Evaluate(license, totals))
                    emitted += await QuotaAsync(license, status, now, ct);
        }
        return emitted;
    }

    private async Task<int> ExpiryAsync(LicenseRecord license, DateTimeOffset now, CancellationToken ct)
    {
        if (license.ExpiresAt is not { } expires || now < expires - TimeSpan.FromDays(ExpiringDays[0]) || now > expires + ExpiredLookback) return 0;
        int emitted = 0;
        var status = LicenseActions.Name(license.Status);
        var at = expires.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var days in ExpiringDays.Where(d => now >= expires - TimeSpan.FromDays(d) && now < expires))
            emitted += await EmitOnceAsync(AlertEvents.License(EventIds.Of(EventTypes.LicenseExpiring, license.LicenseId, at, days.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                EventTypes.LicenseExpiring, now, license.LicenseId, license.OrgId, status, expires, days), ct);
        if (now >= expires)
            emitted += await EmitOnceAsync(AlertEvents.License(EventIds.Of(EventTypes.LicenseExpired, license.LicenseId, at),
                EventTypes.LicenseExpired, now, license.LicenseId, license.OrgId, "expired", expires), ct);
        return emitted;
    }

    private async Task<int> QuotaAsync(LicenseRecord license, QuotaStatus status, DateTimeOffset now, CancellationToken ct)
    {
        if (status.State == QuotaState.Ok) return 0;
        var month = Month.Of(now).ToString();
        int emitted = 0;
        foreach (var type in status.State == QuotaState.Exceeded ? [EventTypes.QuotaWarning, EventTypes.QuotaExceeded] : new[] { EventTypes.QuotaWarning })
            emitted += await EmitOnceAsync(AlertEvents.Quota(type, now, license.LicenseId, license.OrgId, status.Metric, status.Limit, status.Used, status.Percent,
                QuotaNames.Of(status.State), month), ct);
        return emitted;
    }

    private async Task<int> EmitOnceAsync(WebhookEvent e, CancellationToken ct)
    {
        if (await store.EventExistsAsync(e.Id, ct)) return 0;
        await outbox.EmitAsync(e, ct: ct);
        return 1;
    }
}
