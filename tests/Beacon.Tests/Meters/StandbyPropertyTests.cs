using System.Net;
using System.Text.Json;
using Beacon.Domain.Statements;
using Beacon.Tests.Statements;
using Beacon.Tests.Usage;
using Beacon.Tests.Vendor;

namespace Beacon.Tests.Meters;

/// <summary>
/// Standby minutes against a brute-force model over minute slots (SPEC §14): the granular API in every
/// grouping, the statement line and the quota's <c>used</c>, before and after rollups, and late windows
/// after a close becoming <c>standby_minutes</c> adjustments. BEACON_STANDBY_DATASETS sets how many datasets
/// (at most 4: each closes a month of its own, 11–14 months back, before the months the calendar collection's other tests use).
/// </summary>
[Collection(CalendarCollection.Name)]
[Trait("Tier", "Slow")] // property datasets
public sealed class StandbyPropertyTests(NoFleetWriterFixture f)
{
    private static int Datasets => int.TryParse(Environment.GetEnvironmentVariable("BEACON_STANDBY_DATASETS"), out var n) ? Math.Min(n, 4) : 3;

    [Fact]
    public async Task The_api_statements_quotas_and_late_adjustments_equal_a_minute_by_minute_model_with_and_without_rollups()
    {
        var key = await Operators.NewKeyAsync(f, "ops-standby-property");
        int compared = 0, withStandby = 0, standbyAdjustments = 0;
        for (int seed = 0; seed < Datasets; seed++)
        {
            // Months of this test's own, oldest first: each month's late usage lands on the next, still open, month.
            var month = StatementDataset.MonthsBack(f, 14 - seed);
            var data = await ReplicaDataset.CreateAsync(f, month);
            var random = new Random(1900 + seed);
            try
            {
                // In the month's last minute: its usage can be reported, and its quotas are the current ones.
                f.Clock.Freeze(data.MonthEnd.AddMinutes(-1));
                await data.AddReplicasAsync(random, data.MonthStart.AddDays(-2), data.MonthEnd.AddMinutes(-2), deployments: random.Next(2, 5));

                async Task CompareAsync(string stage)
                {
                    foreach (var group in new[] { "workspace", "project", "user", "api_key", "license" })
                    {
                        for (int q = 0; q < 3; q++)
                        {
                            var start = data.MonthStart.AddDays(random.Next(-3, 20));
                            var end = start.AddDays(new[] { 1, 2, 7, 31, 45 }[random.Next(5)]);
                            var ws = data.Workspaces.Where(_ => random.Next(4) > 0).DefaultIfEmpty(data.Org.WorkspaceA).ToArray();
                            var (_, rows) = await UsageClient.QueryAsync(f.Http, data.Org.ApiKey, UsageClient.QueryString("langsmith_deployments", group, null, UsageModel.Iso(start), UsageModel.Iso(end), ws), group);
                            var expected = data.Model.Answer("langsmith_deployments", group, null, start, end, ws.ToHashSet());
                            Assert.True(expected.SequenceEqual(rows), $"seed {seed}, {stage}, {group} {start:u}..{end:u}\nexpected:\n{string.Join('\n', expected)}\nactual:\n{string.Join('\n', rows)}");
                            compared++;
                            withStandby += expected.Count(r => r.Standby > 0);
                        }
                    }
                    // Open lines are the rollup's: none before it ran; after, the days that are over (all but the month's last).
                    var lines = data.LinesOf(await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={month}&org_id={data.Org.OrgId}", key));
                    var through = DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime).AddDays(-1);
                    var expectedLines = stage == "raw records" ? [] : data.ExpectedLines(through);
                    Assert.Equal(expectedLines.OrderBy(kv => kv.Key), lines.OrderBy(kv => kv.Key));
                    var quota = (await Operators.LicenseAsync(f, key, data.Org.OrgId, data.LicenseId)).GetProperty("quotas").EnumerateArray().Single();
                    Assert.Equal(data.ExpectedLines().GetValueOrDefault(data.LicenseId)?["standby_minutes"] ?? 0, quota.GetProperty("used").GetInt64());
                }

                await CompareAsync("raw records");
                await RollupAsync(data.Org.OrgId);
                await CompareAsync("rollups");

                // After the month: close it, then late windows of it arrive (new replicas, merges of closed windows).
                f.Clock.Freeze(data.MonthEnd.AddDays(1));
                var close = await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/statements/{month}/close", key);
                Assert.True(close.StatusCode == HttpStatusCode.OK, await close.Content.ReadAsStringAsync());
                var closed = await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={month}", key);
                var frozen = data.LinesOf(closed);
                Assert.Equal(data.ExpectedLines().OrderBy(kv => kv.Key), frozen.OrderBy(kv => kv.Key));

                await data.AddReplicasAsync(random, data.MonthStart.AddDays(3), data.MonthEnd.AddHours(12), deployments: random.Next(1, 3));
                await RollupAsync(data.Org.OrgId);
                Assert.Equal(closed.GetProperty("lines").GetRawText(), (await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={month}", key)).GetProperty("lines").GetRawText());
                var reconciled = new Dictionary<string, Totals>(frozen);
                foreach (var a in (await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={month.Next}", key)).GetProperty("adjustments").EnumerateArray()
                             .Where(a => a.GetProperty("org_id").GetString() == data.Org.OrgId))
                {
                    Assert.Equal(month.ToString(), a.GetProperty("for_month").GetString());
                    var license = a.GetProperty("license_id").GetString() ?? "";
                    if (a.GetProperty("metric").GetString() == "standby_minutes") standbyAdjustments++;
                    reconciled[license] = (reconciled.GetValueOrDefault(license) ?? Totals.Zero).Plus(a.GetProperty("metric").GetString()!, a.GetProperty("delta").GetInt64());
                }
                await CompareAsyncAfterClose();
                Assert.True(data.ExpectedLines().OrderBy(kv => kv.Key).SequenceEqual(reconciled.Where(kv => !kv.Value.IsZero).OrderBy(kv => kv.Key)),
                    $"seed {seed}: closed lines + adjustments\nexpected: {string.Join(" | ", data.ExpectedLines().OrderBy(kv => kv.Key))}\nfrozen:   {string.Join(" | ", frozen.OrderBy(kv => kv.Key))}\nactual:   {string.Join(" | ", reconciled.OrderBy(kv => kv.Key))}");

                async Task CompareAsyncAfterClose()
                {
                    foreach (var group in new[] { "license", "workspace" })
                    {
                        var (_, rows) = await UsageClient.QueryAsync(f.Http, data.Org.ApiKey, UsageClient.QueryString("langsmith_deployments", group, null, UsageModel.Iso(data.MonthStart), UsageModel.Iso(data.MonthEnd), data.Workspaces), group);
                        var expected = data.Model.Answer("langsmith_deployments", group, null, data.MonthStart, data.MonthEnd, data.Workspaces.ToHashSet());
                        Assert.True(expected.SequenceEqual(rows), $"seed {seed}, after the close, {group}\nexpected:\n{string.Join('\n', expected)}\nactual:\n{string.Join('\n', rows)}");
                    }
                }
            }
            finally
            {
                f.Clock.Reset();
            }
        }
        // The generator must exercise the comparison: most answers carry standby minutes.
        Assert.True(withStandby > compared / 2, $"only {withStandby} records with standby minutes in {compared} queries");
        Assert.True(standbyAdjustments > 0, "no late window changed a closed month's standby minutes");
    }

    private Task RollupAsync(string orgId) => f.RollupAsync(orgId);
}
