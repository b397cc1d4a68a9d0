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
        Assert.Equal(expected, Supersede.Decide(storedTo, Report(incomingTo)));
}
