using Beacon.Domain.Usage;

namespace Beacon.Domain.Tests;

public sealed class SupersedeTests
{
    private static UsageReport Report(long to, long runs = 1, long nodes = 1) =>
        new("", "", 0, to, runs, nodes, new Dictionary<string, string>(), new Dictionary<string, double>(), "[]", 0);

    [Theory]
    [InlineData(100, 200, SupersedeOutcome.Replaced)]
    [InlineData(200, 200, SupersedeOutcome.Replaced)]
    [InlineData(300, 200, SupersedeOutcome.IgnoredOlder)]
    public void A_report_replaces_the_stored_window_when_it_ends_as_late_or_later(long storedTo, long incomingTo, SupersedeOutcome expected) =>
        Assert.Equal(expected, Supersede.Decide(storedTo, 1, 1, Report(incomingTo)));

    [Theory]
    [InlineData(10, 10, 10, 10, SupersedeOutcome.Replaced)]
    [InlineData(10, 10, 11, 10, SupersedeOutcome.Replaced)]
    [InlineData(10, 10, 9, 50, SupersedeOutcome.IgnoredLowerCounts)]
    [InlineData(10, 10, 50, 9, SupersedeOutcome.IgnoredLowerCounts)]
    public void A_later_copy_with_fewer_runs_or_nodes_never_replaces_billed_usage(long storedRuns, long storedNodes, long runs, long nodes, SupersedeOutcome expected) =>
        Assert.Equal(expected, Supersede.Decide(100, storedRuns, storedNodes, Report(200, runs, nodes)));

    [Fact]
    public void An_older_copy_is_ignored_as_older_whatever_its_counts() =>
        Assert.Equal(SupersedeOutcome.IgnoredOlder, Supersede.Decide(300, 10, 10, Report(200, 1, 1)));
}
