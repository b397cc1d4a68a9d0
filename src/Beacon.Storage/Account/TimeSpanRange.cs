namespace Beacon.Storage.Account;

/// <summary>
/// Why a settings class may carry <c>[Range(typeof(TimeSpan), …)]</c> in natively compiled beacon: the trimmer
/// warns that the attribute converts its bounds by reflection, but no one reads it by reflection there. The
/// settings are checked by validators the options source generator writes at compile time
/// (<c>Beacon.Settings.*OptionsValidator</c>), which parse the bounds with <c>TimeSpan.Parse</c>.
/// </summary>
public static class TimeSpanRange
{
    public const string Why = "Checked by a compile-time generated options validator, which parses the TimeSpan bounds itself; DataAnnotations never reads this attribute by reflection.";
}
