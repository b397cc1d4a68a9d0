namespace Beacon.Domain.Reports;

/// <summary>
/// What one self-reported file may hold (SPEC §9, §17), per license. A year of daily rows for 100
/// workspaces is 36,500 rows, inside the row limit; the per-day limit keeps one day's stored rows in one
/// storage entity (500 rows of the longest ids are about 450 KB, under an entity's 1 MiB), so a day is replaced all at once; the day limit keeps a receipt's list of days small.
/// </summary>
public static class ReportLimits
{
    public const int MaxBytes = 8 * 1024 * 1024;
    public const int MaxRows = 50_000;
    public const int MaxGroupsPerDay = 500;
    public const int MaxDays = 400;
    public const int MaxNameLength = 256;
    public const long MaxCount = 1_000_000_000_000;
    public static readonly DateOnly FirstDay = new(2020, 1, 1);
}
