namespace Beacon.Domain.Meters;

/// <summary>
/// What a distinct-minute meter deduplicates over (SPEC §14): a deployment (org, workspace, project,
/// billed license); or a deployment's windows of one user, or of one API key, because the user and
/// api_key groupings count each group's own windows. Each scope is kept as its own value in a cell.
/// </summary>
public enum MinuteScope
{
    Deployment,
    User,
    ApiKey,
}
