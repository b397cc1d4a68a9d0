using System.Globalization;
using System.Text.Json;
using Beacon.Domain.Alerts;

namespace Beacon.Storage.Alerts;

/// <summary>The events of SPEC §18 with the <c>data</c> it documents for each, built in one place.</summary>
public static class AlertEvents
{
    private static string Json(Dictionary<string, object?> data) => JsonSerializer.Serialize(data, Stores.StorageJson.Default.DictionaryStringObject);

    /// <summary>A license event: <c>{license_id, org_id, status, expires_at}</c>, and for <c>license.expiring</c> the days before expiry it marks.</summary>
    public static WebhookEvent License(string id, string type, DateTimeOffset at, string licenseId, string orgId, string status, DateTimeOffset? expiresAt, int? daysBefore = null)
    {
        var data = new Dictionary<string, object?> { ["license_id"] = licenseId, ["org_id"] = orgId, ["status"] = status, ["expires_at"] = expiresAt };
        if (daysBefore is { } d) data["days_before"] = d;
        return new WebhookEvent(id, type, at, Json(data));
    }

    /// <summary>A quota crossing: <c>{license_id, org_id, metric, limit, used, percent, state, month}</c>.</summary>
    public static WebhookEvent Quota(string type, DateTimeOffset at, string licenseId, string orgId, string metric, long limit, Int128 used, decimal percent, string state, string month) =>
        new(EventIds.Of(type, licenseId, metric, month), type, at, Json(new Dictionary<string, object?>
        {
            ["license_id"] = licenseId, ["org_id"] = orgId, ["metric"] = metric, ["limit"] = limit, ["used"] = (long)used, ["percent"] = percent,
            ["state"] = state, ["month"] = month,
        }));

    public static WebhookEvent StatementClosed(string month, DateTimeOffset closedAt, int lines) =>
        new(EventIds.Of(EventTypes.StatementClosed, month), EventTypes.StatementClosed, closedAt, Json(new Dictionary<string, object?>
        {
            ["month"] = month, ["closed_at"] = closedAt, ["lines"] = lines,
        }));

    /// <summary>An adjustment as a statement shows it (SPEC §13), keyed by its own id.</summary>
    public static WebhookEvent Adjustment(string adjustmentId, DateTimeOffset at, Dictionary<string, object?> view) =>
        new(EventIds.Of(EventTypes.AdjustmentRecorded, adjustmentId), EventTypes.AdjustmentRecorded, at, Json(view));

    /// <summary>An accepted usage report: the receipt's fields without the JWS.</summary>
    public static WebhookEvent UsageReport(string reportId, DateTimeOffset at, string licenseId, IReadOnlyList<DateOnly> days, IReadOnlyDictionary<string, long> totals, string sha256, string? previous) =>
        new(EventIds.Of(EventTypes.UsageReportAccepted, reportId), EventTypes.UsageReportAccepted, at, Json(new Dictionary<string, object?>
        {
            ["report_id"] = reportId, ["license_id"] = licenseId, ["days"] = days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray(),
            ["totals"] = new Dictionary<string, long>(totals), ["sha256"] = sha256, ["previous_sha256"] = previous,
        }));
}
