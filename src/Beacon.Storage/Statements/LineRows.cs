using Azure.Data.Tables;
using Beacon.Domain.Fleet;
using Beacon.Domain.Statements;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Statements;

/// <summary>
/// How statement lines are keyed, open or closed: <c>org|license|source</c> after a prefix of the month (and
/// close), <c>-</c> for the API-key line and no source part for metered usage. Key order is the statement's
/// order, so a page of lines is one range read of at most limit + 1 rows.
/// </summary>
internal static class LineRows
{
    private const string NoLicense = "-";

    public static string Suffix(LineKey key) =>
        key.OrgId + "|" + (key.LicenseId.Length == 0 ? NoLicense : key.LicenseId) + (key.Source == UsageSource.Metered ? "" : "|" + UsageNames.Of(key.Source));

    public static string OrgPrefix(string orgId) => orgId + "|";

    /// <summary>
    /// The rows of one partition whose keys start with <paramref name="prefix"/> (and the org's, when given), after the
    /// cursor, at most <paramref name="limit"/>; <paramref name="extraFilter"/> narrows them further (e.g. closed lines on the statement).
    /// </summary>
    public static async Task<(IReadOnlyList<TableEntity> Rows, PageCursor? Next)> PageAsync(
        Tables tables, TableClient table, string partition, string prefix, string? orgId, PageCursor? after, int limit, string? extraFilter, CancellationToken ct)
    {
        var scope = prefix + (orgId is null ? "" : OrgPrefix(orgId));
        var from = after is null ? null : prefix + after.After;
        // A cursor before the org's range (from another filter) starts at the range.
        if (from is not null && string.CompareOrdinal(from, scope) < 0) from = null;
        var filter = from is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {scope}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {from}");
        if (scope.Length > 0) filter += " and " + TableClient.CreateQueryFilter($"RowKey lt {TableWrites.UpperBound(scope)}");
        if (extraFilter is not null) filter += " and " + extraFilter;
        var rows = await tables.TakeAsync(table, filter, limit + 1, ct: ct);
        return ([.. rows.Take(limit)], rows.Count > limit ? new PageCursor(LinePage.Section, rows[limit - 1].RowKey[prefix.Length..]) : null);
    }
}
