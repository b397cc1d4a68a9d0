using Beacon.Domain.Query;
using Beacon.Domain.Statements;
using Beacon.Storage.Query;
using Beacon.Storage.Rollups;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Statements;

/// <summary>
/// An org's usage of one month per license, live: each day from its daily rollup when that is usable
/// (covered and not dirty), else from raw records — the same sources and rule as the granular usage
/// API, read as one range query per run of days instead of one per daily bucket.
/// </summary>
public sealed class MonthUsageReader(RawUsage raw, RollupStore rollups, UsageQueryEngine engine)
{
    private static readonly UsageKind[] Kinds = [UsageKind.Deployments, UsageKind.Traces];

    /// <summary>Totals per license id (empty = reported with an API key only) for the days of <paramref name="month"/>.</summary>
    public async Task<IReadOnlyDictionary<string, LineTotals>> ReadAsync(string orgId, Month month, CancellationToken ct = default)
    {
        var coverage = await engine.GetCoverageAsync(orgId, ct);
        var usage = new MonthUsage();
        foreach (var kind in Kinds)
            foreach (var (fromRollup, from, to) in Runs(month, coverage))
            {
                var cells = fromRollup
                    ? rollups.ReadCellsAsync(orgId, kind, BlockSize.Day, from, to, null, ct)
                    : raw.ReadDayCellsAsync(orgId, kind, from, to, null, ct);
                await foreach (var (day, cell) in cells) usage.Add(day, cell);
            }
        return usage.Totals();
    }

    /// <summary>The month's days as runs of consecutive days with the same source.</summary>
    private static IEnumerable<(bool FromRollup, DateOnly From, DateOnly To)> Runs(Month month, RollupCoverage coverage)
    {
        (bool FromRollup, DateOnly From, DateOnly To)? current = null;
        for (var d = month.FirstDay; d < month.EndDay; d = d.AddDays(1))
        {
            var usable = coverage.IsUsable(new Block(BlockSize.Day, d));
            if (current is { } c && c.FromRollup == usable)
            {
                current = c with { To = d.AddDays(1) };
                continue;
            }
            if (current is { } done) yield return done;
            current = (usable, d, d.AddDays(1));
        }
        if (current is { } last) yield return last;
    }
}
