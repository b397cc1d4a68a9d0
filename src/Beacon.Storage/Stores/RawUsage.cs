using System.Runtime.CompilerServices;
using Beacon.Domain.Meters;
using Beacon.Domain.Query;
using Beacon.Domain.Reports;
using Beacon.Domain.Usage;

namespace Beacon.Storage.Stores;

/// <summary>
/// Raw records of either kind as one-day cells, with every meter of the catalog: what queries and
/// statements read for days without usable rollups, and what the rollup reads to compute them. Usage
/// stored without a workspace is resolved to the org's default workspace first, so a deployment's
/// distinct minutes are counted over its windows wherever they were stored (ADR 0008, 0013). Self-reported
/// usage in effect (SPEC §17) is raw usage too, as cells of its own source.
/// </summary>
public sealed class RawUsage(WindowStore windows, TraceStore traces, ReportedUsageStore reported, MeterCatalog catalog)
{
    /// <param name="workspaceIds">Stored workspace ids to read (include the empty one to read usage stored without a workspace); null for all.</param>
    public async IAsyncEnumerable<(DateOnly Day, UsageCell Cell)> ReadDayCellsAsync(
        string orgId, UsageKind kind, DateOnly from, DateOnly to, DefaultWorkspace defaultWorkspace, IReadOnlyCollection<string>? workspaceIds,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        switch (kind)
        {
            case UsageKind.Traces:
                await foreach (var (day, key, count) in traces.ReadTransactionsAsync(orgId, from, to, workspaceIds, ct))
                    yield return (day, TraceMeters.Cell(catalog, defaultWorkspace.Resolve(key), count));
                break;
            case UsageKind.Deployments:
                var days = new WindowDays(catalog, from, to);
                await foreach (var w in windows.ReadWindowsAsync(orgId, from, to, workspaceIds, ct))
                    foreach (var cell in days.Add(w with { Key = defaultWorkspace.Resolve(w.Key) }))
                        yield return cell;
                foreach (var cell in days.Complete()) yield return cell;
                break;
        }
        await foreach (var (day, license, row) in reported.ReadAsync(orgId, kind, from, to, workspaceIds, ct))
        {
            var cell = ReportedCells.Of(catalog, kind, license, row);
            yield return (day, cell with { Key = defaultWorkspace.Resolve(cell.Key) });
        }
    }
}
