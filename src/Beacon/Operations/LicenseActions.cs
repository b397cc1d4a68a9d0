using Beacon.Domain.Credentials;
using Beacon.Domain.Time;
using Beacon.Storage.Stores;

namespace Beacon.Operations;

/// <summary>
/// Suspending, revoking, activating and extending a license (SPEC §12), with their audit records: one
/// implementation for the operator API and the CLI, so both doors change and record the same things.
/// </summary>
public sealed class LicenseActions(CredentialStore credentials, AuditLog audit, Storage.Alerts.AlertOutbox alerts, TimeProvider time)
{
    /// <summary>The license as it was before the change (null when there is no such license).</summary>
    /// <param name="orgId">When given, the license must belong to it (the CLI names both).</param>
    public async Task<LicenseRecord?> SetStatusAsync(string licenseId, string? orgId, LicenseStatus status, string actor, CancellationToken ct)
    {
        if (await FindAsync(licenseId, orgId, ct) is not { } license) return null;
        var name = Name(status);
        await credentials.SetLicenseStatusAsync(license.OrgId, license.LicenseId, status, ct);
        var action = status switch { LicenseStatus.Suspended => "suspend", LicenseStatus.Revoked => "revoke", _ => "activate" };
        await audit.AppendAsync(actor, "license." + action, "license:" + license.LicenseId,
            new Dictionary<string, string?> { ["org_id"] = license.OrgId, ["status_before"] = Name(license.Status), ["status"] = name }, ct);
        // An event only for a change (suspending a suspended license changes nothing), once the change has committed (SPEC §18).
        if (license.Status != status)
        {
            var type = status switch { LicenseStatus.Suspended => Domain.Alerts.EventTypes.LicenseSuspended, LicenseStatus.Revoked => Domain.Alerts.EventTypes.LicenseRevoked, _ => Domain.Alerts.EventTypes.LicenseActivated };
            var at = time.GetUtcNow();
            await alerts.EmitAsync(Storage.Alerts.AlertEvents.License("evt_" + Guid.NewGuid().ToString("N"), type, at, license.LicenseId, license.OrgId, name, license.ExpiresAt), ct: ct);
        }
        return license;
    }

    /// <summary>Why <paramref name="expiresAt"/> cannot be a new expiry, or null when it can.</summary>
    /// <summary>
    /// Reads a new expiry the way every door takes it (the operator API's <c>expires_at</c>, the CLI's
    /// <c>--expires</c>): an ISO 8601 date-time with an offset, or a date (its start, UTC), in the future.
    /// Null when it is one; otherwise what is wrong with it, to follow the field's name.
    /// </summary>
    public string? ReadExpiry(string? text, out DateTimeOffset expiresAt)
    {
        expiresAt = default;
        if (!Timestamps.TryParseQueryTime(text, out var micros)) return "must be an ISO 8601 date-time with an offset, or a date, e.g. 2027-12-31T23:59:59Z.";
        expiresAt = Timestamps.ToDateTimeOffset(micros);
        return ExpiryProblem(expiresAt);
    }

    public string? ExpiryProblem(DateTimeOffset expiresAt) =>
        expiresAt <= time.GetUtcNow() ? "must be in the future; to stop a license, suspend or revoke it." : null;

    /// <summary>The license as it was before the change (null when there is no such license); check <see cref="ExpiryProblem"/> first.</summary>
    public async Task<LicenseRecord?> ExtendAsync(string licenseId, string? orgId, DateTimeOffset expiresAt, string actor, CancellationToken ct)
    {
        if (ExpiryProblem(expiresAt) is { } problem) throw new ArgumentException(problem, nameof(expiresAt));
        if (await FindAsync(licenseId, orgId, ct) is not { } license) return null;
        await credentials.SetLicenseExpiryAsync(license.OrgId, license.LicenseId, expiresAt, ct);
        await audit.AppendAsync(actor, "license.extend", "license:" + license.LicenseId, new Dictionary<string, string?>
        {
            ["org_id"] = license.OrgId, ["expires_at_before"] = license.ExpiresAt?.ToString("O"), ["expires_at"] = expiresAt.ToString("O"),
        }, ct);
        return license;
    }

    public static string Name(LicenseStatus status) => status.ToString().ToLowerInvariant();

    private async Task<LicenseRecord?> FindAsync(string licenseId, string? orgId, CancellationToken ct) =>
        orgId is null ? await credentials.GetLicenseAsync(licenseId, ct) : await credentials.GetLicenseAsync(orgId, licenseId, ct);
}
