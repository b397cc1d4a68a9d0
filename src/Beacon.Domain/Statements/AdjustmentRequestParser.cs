using System.Text.Json;
using Beacon.Domain.Meters;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Statements;

/// <summary>Reads the body of <c>POST /api/v1/operator/adjustments</c>, collecting every error at once; unknown fields are ignored.</summary>
public static class AdjustmentRequestParser
{
    /// <summary>The largest correction one adjustment may make (a thousand maximal reports).</summary>
    public const long MaxDelta = Plausibility.MaxCount * 1000;

    public const int MaxReasonLength = 500;

    /// <param name="current">The month of the clock: an adjustment is for a month that has started.</param>
    public static Validated<AdjustmentRequest> Parse(JsonElement body, MeterCatalog catalog, Month current)
    {
        if (body.ValueKind != JsonValueKind.Object) return Validated<AdjustmentRequest>.Fail([new FieldError("$", "The body must be a JSON object.")]);
        var errors = new List<FieldError>();

        var orgId = String(body, "org_id");
        if (orgId is null || !Ids.TryNormalizeUuid(orgId, out orgId)) errors.Add(new FieldError("org_id", "is required and must be an organization id (UUID)."));
        string? licenseId = null;
        if (body.TryGetProperty("license_id", out var lic) && lic.ValueKind != JsonValueKind.Null)
        {
            if (lic.ValueKind != JsonValueKind.String || !Ids.TryNormalizeUuid(lic.GetString()!, out var normalized))
                errors.Add(new FieldError("license_id", "must be a license id (UUID), or null for usage reported with an API key."));
            else licenseId = normalized;
        }
        var metric = catalog.Find(String(body, "metric"))?.Name;
        if (metric is null) errors.Add(new FieldError("metric", "must be one of " + string.Join(", ", catalog.Meters.Select(m => m.Name)) + "."));
        long delta = 0;
        if (!(body.TryGetProperty("delta", out var d) && d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out delta)) || delta == 0 || Math.Abs(delta) > MaxDelta)
            errors.Add(new FieldError("delta", $"must be a whole number other than 0, at most {MaxDelta:N0} either way."));
        if (!Month.TryParse(String(body, "for_month"), out var forMonth))
            errors.Add(new FieldError("for_month", "is required, as YYYY-MM (from 2020-01)."));
        else if (forMonth > current)
            errors.Add(new FieldError("for_month", $"{forMonth} has not started yet."));
        var reason = String(body, "reason")?.Trim();
        if (string.IsNullOrEmpty(reason)) errors.Add(new FieldError("reason", "is required: say why the statement is corrected."));
        else if (reason.Length > MaxReasonLength) errors.Add(new FieldError("reason", $"must be at most {MaxReasonLength} characters."));

        return errors.Count > 0 ? Validated<AdjustmentRequest>.Fail(errors)
            : Validated<AdjustmentRequest>.Ok(new AdjustmentRequest(orgId!, licenseId, metric!, delta, forMonth, reason!));
    }

    private static string? String(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
