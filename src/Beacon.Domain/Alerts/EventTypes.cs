namespace Beacon.Domain.Alerts;

/// <summary>The event types a webhook endpoint may subscribe to (SPEC §18); an empty subscription means all of them.</summary>
public static class EventTypes
{
    public const string LicenseExpiring = "license.expiring";
    public const string LicenseExpired = "license.expired";
    public const string LicenseSuspended = "license.suspended";
    public const string LicenseRevoked = "license.revoked";
    public const string LicenseActivated = "license.activated";
    public const string DeploymentSilent = "deployment.silent";
    public const string DeploymentResumed = "deployment.resumed";
    public const string QuotaWarning = "quota.warning";
    public const string QuotaExceeded = "quota.exceeded";
    public const string StatementClosed = "statement.closed";
    public const string AdjustmentRecorded = "adjustment.recorded";
    public const string UsageReportAccepted = "usage_report.accepted";

    /// <summary>Sent only by <c>POST …/webhooks/{id}/test</c>, to that endpoint, whatever it subscribes to.</summary>
    public const string WebhookTest = "webhook.test";

    public static IReadOnlyList<string> All { get; } =
    [
        LicenseExpiring, LicenseExpired, LicenseSuspended, LicenseRevoked, LicenseActivated, DeploymentSilent, DeploymentResumed,
        QuotaWarning, QuotaExceeded, StatementClosed, AdjustmentRecorded, UsageReportAccepted,
    ];

    /// <summary>Whether an endpoint subscribed to <paramref name="subscribed"/> (empty: every type) receives <paramref name="type"/>.</summary>
    public static bool Wants(IReadOnlyCollection<string> subscribed, string type) => subscribed.Count == 0 || subscribed.Contains(type);
}
