using System.Security.Cryptography;
using System.Text;
using Beacon.Domain.Telemetry;

namespace Beacon.Domain.Tests;

public sealed class SeriesRegistryTests
{
    private static string Key(int i) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"series-{i}")));

    private static readonly DateOnly Day = new(2026, 12, 4);

    [Fact]
    public void Admits_up_to_the_cap_then_refuses_only_new_series_and_survives_a_round_trip()
    {
        var r = new SeriesRegistry();
        var (refused, changed) = r.Admit(Enumerable.Range(0, TelemetryPolicy.MaxSeriesPerLicense + 3).Select(Key), Day);
        Assert.True(changed);
        Assert.Equal(Enumerable.Range(TelemetryPolicy.MaxSeriesPerLicense, 3).Select(Key).ToHashSet(), refused);

        var stored = SeriesRegistry.Read(r.Write());
        Assert.Equal(TelemetryPolicy.MaxSeriesPerLicense, stored.Count);
        (refused, changed) = stored.Admit([Key(0), Key(1_999), Key(5_000)], Day);
        Assert.Equal([Key(5_000)], refused);
        Assert.False(changed); // known series already seen today: no write needed
        Assert.True(r.Write().Length <= 65_536); // one table property
    }

    [Fact]
    public void Series_not_seen_within_retention_stop_counting_and_a_known_series_seen_on_a_new_day_is_kept()
    {
        var r = new SeriesRegistry();
        r.Admit(Enumerable.Range(0, TelemetryPolicy.MaxSeriesPerLicense).Select(Key), Day);
        var (_, changed) = r.Admit([Key(0)], Day.AddDays(TelemetryPolicy.SeriesDays));
        Assert.True(changed);
        var (refused, _) = r.Admit([Key(9_999)], Day.AddDays(TelemetryPolicy.SeriesDays + 1));
        Assert.Empty(refused);
        Assert.Equal(2, r.Count); // key 0 (seen on day 14) and the new one
    }
}
