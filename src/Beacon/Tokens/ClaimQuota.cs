namespace Beacon.Tokens;

/// <summary>A quota as an offline license key's <c>quotas</c> claim carries it: <c>{"metric":…,"limit":…}</c>.</summary>
internal sealed record ClaimQuota(string Metric, long Limit);
