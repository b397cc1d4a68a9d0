namespace Beacon.Storage.Stores;

/// <summary>One stored row of self-reported usage: workspace id ("" for the org's default), project id and the counts in the export's column order.</summary>
internal sealed record ReportedUsageRow(string W, string P, long[] V);
