namespace Beacon.Domain.Usage;

/// <summary>Input limits from SPEC §9. The body-size limit is enforced before parsing, the rest by validation.</summary>
public static class Limits
{
    public const int MaxBodyBytes = 1024 * 1024;
    public const int MaxTags = 200;
    public const int MaxTagValueBytes = 1024;
    public const int MaxTagKeyLength = 256;
    public const int MaxLogEntries = 1000;
    public const int MaxTraceTransactions = 1000;
    public const int MaxWindowDays = 400;
    public const int MaxQueryYears = 5;
}
