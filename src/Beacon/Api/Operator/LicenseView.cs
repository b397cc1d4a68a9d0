using Beacon.Tokens;
using System.Text.Json.Serialization;

namespace Beacon.Api.Operator;

/// <summary>One license in <c>GET /api/v1/operator/licenses</c> (SPEC §12).</summary>
internal sealed record LicenseView(
    string LicenseId,
    string OrgId,
    string OrgName,
    string Plan,
    string Status,
    DateTimeOffset? ExpiresAt,
    IReadOnlyList<string> Entitlements,
    IReadOnlyList<QuotaView> Quotas,
    DateTimeOffset? LastVerifiedAt,
    [property: JsonPropertyName("verifications_30d")] long Verifications30d,
    [property: JsonPropertyName("refused_verifications_30d")] long RefusedVerifications30d,
    DateTimeOffset? LastReportAt,
    string ReportingState,
    [property: JsonPropertyName("ignored_lower_count_reports_30d")] long IgnoredLowerCountReports30d,
    DateTimeOffset CreatedAt);
