namespace Beacon.Domain.Reports;

/// <summary>
/// How a self-reported file groups its rows: the granular export's workspace or project grouping (the only
/// two a report may use, SPEC §17). <see cref="None"/> is a row with neither id, usage without a workspace
/// or project, which fits either grouping.
/// </summary>
public enum ReportGrouping
{
    None,
    Workspace,
    Project,
}
