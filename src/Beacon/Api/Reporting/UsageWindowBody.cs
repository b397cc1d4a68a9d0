using System.Text.Json;

namespace Beacon.Api.Reporting;

/// <summary>
/// A usage window as the platform client submits it (SPEC §4.4), for the OpenAPI document: the credential is a
/// license key or an API key (or the <c>X-Api-Key</c> header); tags name the workspace and project; measures are
/// the counts (runs, nodes) and gauges.
/// </summary>
internal sealed record UsageWindowBody(
    DateTimeOffset FromTimestamp,
    DateTimeOffset ToTimestamp,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, double> Measures,
    IReadOnlyList<JsonElement>? Logs = null,
    string? LicenseKey = null,
    string? ApiKey = null);
