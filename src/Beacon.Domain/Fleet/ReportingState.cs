namespace Beacon.Domain.Fleet;

/// <summary>
/// Whether a license or deployment is reporting (SPEC §12). The platform client reports every 300 s, so
/// two missed intervals plus a minute of slack (the fleet record may be written up to a minute late,
/// see <see cref="DeploymentActivity"/>) separate a live deployment from a silent one.
/// </summary>
public static class ReportingState
{
    public const string Reporting = "reporting";
    public const string Silent = "silent";
    public const string Never = "never";

    public static readonly TimeSpan SilentAfter = TimeSpan.FromSeconds(660);

    public static string Of(DateTimeOffset? lastReportAt, DateTimeOffset now) =>
        lastReportAt is not { } last ? Never
        : now - last <= SilentAfter ? Reporting
        : Silent;

    /// <summary>A license's state from how many of its deployments report and are silent: reporting if any reports.</summary>
    public static string OfCounts(long reporting, long silent) =>
        reporting > 0 ? Reporting : silent > 0 ? Silent : Never;

    /// <summary>The states in listing order.</summary>
    public static readonly IReadOnlyList<string> InOrder = [Silent, Reporting, Never];

    /// <summary>Silent first (they need attention), then reporting, then never; used by lists and the console.</summary>
    public static int Rank(string state) => state switch { Silent => 0, Reporting => 1, _ => 2 };
}
