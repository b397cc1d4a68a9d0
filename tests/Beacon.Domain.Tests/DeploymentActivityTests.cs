using Beacon.Domain.Fleet;
using Beacon.Domain.Time;

namespace Beacon.Domain.Tests;

public sealed class DeploymentActivityTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static long Us(DateTimeOffset t) => Timestamps.FromDateTimeOffset(t);

    private static WindowObservation Window(DateTimeOffset from, DateTimeOffset to, long runs = 1, string version = "0.5.23", DateTimeOffset? received = null) =>
        new(Us(from), Us(to), runs, runs * 3, received ?? to,
            new Dictionary<string, string> { ["langgraph_api.version"] = version, ["langgraph.platform.host"] = "self-hosted", ["user_app.uses_indexing"] = "True", ["other"] = "x" },
            new Dictionary<string, double> { ["langgraph.platform.py_graphs"] = 3 });

    /// <summary>Replica r's windows: five minutes each from its own start, like the platform client.</summary>
    private static IEnumerable<WindowObservation> Replica(int r, int windows, DateTimeOffset? start = null)
    {
        var t = (start ?? T0).AddSeconds(17 * r + 1);
        for (int i = 0; i < windows; i++, t = t.AddMinutes(5)) yield return Window(t, t.AddMinutes(5), runs: r + 1);
    }

    [Fact]
    public void Three_replicas_make_three_chains_and_they_drop_out_as_they_stop()
    {
        var a = new DeploymentActivity();
        foreach (var w in Replica(0, 12).Concat(Replica(1, 12)).Concat(Replica(2, 6))) a.Observe(w);
        var lastOfTwo = T0.AddMinutes(60).AddSeconds(17 * 2 + 1);
        Assert.Equal(3, a.Replicas(T0.AddMinutes(31)));
        // Replica 2's last window arrived at 30 min; 660 s later it no longer counts, the others still do.
        Assert.Equal(2, a.Replicas(T0.AddMinutes(30).AddSeconds(35 + 661)));
        Assert.Equal(0, a.Replicas(lastOfTwo.AddSeconds(661)));
    }

    [Fact]
    public void Windows_of_one_replica_seen_by_different_instances_join_into_one_chain()
    {
        var windows = Replica(0, 10).ToList();
        var instanceA = new DeploymentActivity();
        var instanceB = new DeploymentActivity();
        for (int i = 0; i < windows.Count; i++) (i % 2 == 0 ? instanceA : instanceB).Observe(windows[i]);
        Assert.Equal(5, instanceA.Chains.Count); // five separate pieces, seen alone

        var stored = new DeploymentActivity();
        stored.Absorb(instanceA);
        stored.Absorb(instanceB);
        Assert.Single(stored.Chains);
        Assert.Equal(1, stored.Replicas(T0.AddMinutes(51)));
    }

    [Fact]
    public void A_retried_window_merged_with_the_next_continues_its_chain()
    {
        var a = new DeploymentActivity();
        a.Observe(Window(T0, T0.AddMinutes(5)));
        // The 5–10 window failed; the client resends it merged with the next: from 5, to 15.
        a.Observe(Window(T0.AddMinutes(5), T0.AddMinutes(15)));
        a.Observe(Window(T0.AddMinutes(15), T0.AddMinutes(20)));
        // A superseding copy of the last window (same start, later end).
        a.Observe(Window(T0.AddMinutes(15), T0.AddMinutes(25)));
        Assert.Equal(1, a.Replicas(T0.AddMinutes(26)));
    }

    [Fact]
    public void The_latest_window_by_end_gives_the_client_features_and_gauges_even_when_an_older_copy_arrives_later()
    {
        var a = new DeploymentActivity();
        a.Observe(Window(T0, T0.AddMinutes(5), version: "0.5.23"));
        a.Observe(Window(T0.AddMinutes(5), T0.AddMinutes(10), version: "0.6.0"));
        a.Observe(Window(T0, T0.AddMinutes(4), version: "0.4.0", received: T0.AddMinutes(11))); // a late, stale copy
        Assert.Equal("0.6.0", a.Client["langgraph_api_version"]);
        Assert.Equal("self-hosted", a.Client["host"]);
        Assert.Equal("True", a.Features["user_app.uses_indexing"]);
        Assert.False(a.Features.ContainsKey("other"));
        Assert.Equal(3, a.Gauges["langgraph.platform.py_graphs"]);
        Assert.Equal(T0.AddMinutes(11), a.LastReportAt);
        Assert.Equal(T0.AddMinutes(5), a.FirstReportAt);
    }

    [Fact]
    public void Runs_of_the_last_24_hours_count_windows_ending_in_the_current_hour_and_the_23_before()
    {
        var a = new DeploymentActivity();
        a.Observe(Window(T0.AddHours(-30), T0.AddHours(-29).AddMinutes(-55), runs: 1000));
        a.Observe(Window(T0.AddHours(-23), T0.AddHours(-23).AddMinutes(5), runs: 7));
        a.Observe(Window(T0, T0.AddMinutes(5), runs: 5));
        Assert.Equal((12L, 36L), a.Last24Hours(T0.AddMinutes(30)));
        Assert.Equal((5L, 15L), a.Last24Hours(T0.AddHours(1)));
        a.Prune(T0.AddMinutes(30));
        Assert.Equal(2, a.Hours.Count);
    }

    [Fact]
    public void Merging_is_order_free_whatever_instances_saw_which_windows()
    {
        var random = new Random(11);
        for (int run = 0; run < 200; run++)
        {
            var windows = Enumerable.Range(0, 1 + random.Next(4)).SelectMany(r => Replica(r, 1 + random.Next(20))).ToList();
            var whole = new DeploymentActivity();
            foreach (var w in windows) whole.Observe(w);

            // Split among 1–4 instances, each merging into storage in a random order, twice over in places.
            int instances = 1 + random.Next(4);
            var seen = Enumerable.Range(0, instances).Select(_ => new DeploymentActivity()).ToList();
            foreach (var w in windows.OrderBy(_ => random.Next())) seen[random.Next(instances)].Observe(w);
            var stored = new DeploymentActivity();
            foreach (var piece in seen.OrderBy(_ => random.Next())) stored.Absorb(piece);

            var now = windows.Max(w => w.ReceivedAt).AddSeconds(1);
            Assert.Equal(whole.Replicas(now), stored.Replicas(now));
            Assert.Equal(whole.Last24Hours(now), stored.Last24Hours(now));
            Assert.Equal(whole.LatestToMicros, stored.LatestToMicros);
            Assert.Equal((whole.FirstReportAt, whole.LastReportAt), (stored.FirstReportAt, stored.LastReportAt));
        }
    }

    [Theory]
    [InlineData(null, "never")]
    [InlineData(0, "reporting")]
    [InlineData(660, "reporting")]
    [InlineData(661, "silent")]
    public void Reporting_state_turns_silent_after_660_seconds_without_a_window(int? secondsAgo, string expected) =>
        Assert.Equal(expected, ReportingState.Of(secondsAgo is { } s ? T0.AddSeconds(-s) : null, T0));

    [Fact]
    public void Features_are_cut_to_64_and_4096_characters_together_and_the_cut_is_counted_so_the_record_always_fits()
    {
        var tags = Enumerable.Range(0, 80).ToDictionary(i => $"user_app.{i:D2}" + new string('機', 300), _ => new string('能', 300));
        tags["langgraph.platform.host"] = "self-hosted";
        var activity = new DeploymentActivity();
        activity.Observe(new WindowObservation(0, 300_000_000, 1, 1, DateTimeOffset.UnixEpoch, tags,
            Enumerable.Range(0, 100).ToDictionary(i => $"{i:D3}" + new string('g', 400), i => (double)i)));

        var kept = activity.Features.Where(f => f.Key != DeploymentActivity.FeaturesCut).ToList();
        Assert.All(kept, f => Assert.True(f.Key.Length <= DeploymentActivity.MaxValueChars && f.Value.Length <= DeploymentActivity.MaxValueChars));
        Assert.True(kept.Sum(f => f.Key.Length + f.Value.Length) <= DeploymentActivity.MaxEntryChars);
        Assert.Equal(80, kept.Count + int.Parse(activity.Features[DeploymentActivity.FeaturesCut], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(activity.Gauges.Keys.Sum(k => k.Length) <= DeploymentActivity.MaxEntryChars);
        Assert.True(System.Text.Json.JsonSerializer.Serialize(activity.Features).Length < 32_000);
    }
}
