using Azure.Data.Tables;
using Beacon.Domain.Time;

namespace Beacon.Storage.Stores;

/// <summary>
/// License verifications counted per license and UTC day, accepted and refused apart (SPEC §4.1: the
/// seeds list "License Key Verification" among the subscription metrics). One counter entity per
/// license and day (PK = license id, RK = yyyyMMdd), incremented with <see cref="Counter"/>, so an
/// increment that committed but whose answer was lost is not counted twice.
/// </summary>
public sealed class VerificationStore(Tables tables)
{
    public Task RecordAsync(string orgId, string licenseId, bool accepted, DateTimeOffset now, CancellationToken ct = default)
    {
        var day = Timestamps.DayKey(DateOnly.FromDateTime(now.UtcDateTime));
        return Counter.UpdateAsync(tables, tables.Verifications, licenseId, day, stored =>
        {
            var e = new TableEntity(licenseId, day)
            {
                ["org_id"] = orgId,
                ["accepted"] = (stored?.GetInt64("accepted") ?? 0) + (accepted ? 1 : 0),
                ["refused"] = (stored?.GetInt64("refused") ?? 0) + (accepted ? 0 : 1),
                ["last_at"] = now,
            };
            // "Last verified" means last granted a token; a refused attempt is counted, not shown as verified.
            if ((accepted ? now : stored?.GetDateTimeOffset("last_accepted_at")) is { } lastAccepted) e["last_accepted_at"] = lastAccepted;
            return e;
        }, ct);
    }

    /// <summary>The license's counts over the days [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public async Task<VerificationCounts> CountAsync(string licenseId, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var rows = await tables.QueryAsync(tables.Verifications,
            TableClient.CreateQueryFilter($"PartitionKey eq {licenseId} and RowKey ge {Timestamps.DayKey(from)} and RowKey le {Timestamps.DayKey(to)}"),
            ["accepted", "refused", "last_accepted_at"], ct).ToListAsync(ct);
        return new VerificationCounts(rows.Sum(r => r.GetInt64("accepted") ?? 0), rows.Sum(r => r.GetInt64("refused") ?? 0), rows.Max(r => r.GetDateTimeOffset("last_accepted_at")));
    }

    /// <summary>One day's counts, for support and tests.</summary>
    public Task<VerificationCounts> CountDayAsync(string licenseId, DateOnly day, CancellationToken ct = default) => CountAsync(licenseId, day, day, ct);
}
