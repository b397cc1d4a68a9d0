namespace Beacon.Domain.Reports;

/// <summary>
/// One row of a self-reported file: one UTC day of one workspace or project (ids as stored: a workspace
/// UUID lower-case, a project id normalized as ingestion does), its names as the file gives them, and its
/// counts in the order of the export's value columns.
/// </summary>
public sealed record ReportedRow(DateOnly Day, string WorkspaceId, string WorkspaceName, string ProjectId, string ProjectName, IReadOnlyList<long> Values);
