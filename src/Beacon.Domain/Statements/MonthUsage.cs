using Beacon.Domain.Query;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Statements;

/// <summary>
/// Adds one org's one-day cells of a month into statement totals per license. Counts add up; uptime is
/// rounded per (license, UTC day) before it is added, exactly as the granular usage API rounds the
/// daily buckets of a month (its stride for a month is one day) grouped by license. So a statement line
/// is the sum of that API's records, and a customer can reproduce every number of an invoice from it.
/// </summary>
public sealed class MonthUsage
{
    private readonly Dictionary<string, LineTotals> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<(string License, DateOnly Day), Int128> _uptime = [];

    public void Add(DateOnly day, UsageCell cell)
    {
        var t = _counts.GetValueOrDefault(cell.LicenseId, LineTotals.Zero);
        t = t.Plus(StatementMetric.AgentRuns, cell.Runs).Plus(StatementMetric.NodesExecuted, cell.Nodes);
        if (cell.Tier is { } tier)
            t = t.Plus(tier == TraceTier.Longlived ? StatementMetric.TracesLonglived : StatementMetric.TracesShortlived, cell.Traces);
        _counts[cell.LicenseId] = t;
        if (cell.UptimeMicros != 0) _uptime[(cell.LicenseId, day)] = checked(_uptime.GetValueOrDefault((cell.LicenseId, day)) + cell.UptimeMicros);
    }

    /// <summary>The totals per license id (empty id = API-key usage), only for licenses with any usage.</summary>
    public IReadOnlyDictionary<string, LineTotals> Totals()
    {
        var totals = new Dictionary<string, LineTotals>(_counts, StringComparer.Ordinal);
        foreach (var ((license, _), micros) in _uptime)
            totals[license] = totals.GetValueOrDefault(license, LineTotals.Zero).Plus(StatementMetric.AgentUptimeSeconds, WindowSplit.RoundToSeconds(micros));
        return totals.Where(kv => !kv.Value.IsZero).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }
}
