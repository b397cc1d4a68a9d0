namespace Beacon.Domain.Query;

/// <summary>The stride table of the seed document: daily is the minimum.</summary>
public static class Stride
{
    public static int DaysFor(int rangeDays) => rangeDays switch
    {
        <= 31 => 1,
        <= 93 => 7,
        <= 366 => 30,
        _ => 365,
    };
}
