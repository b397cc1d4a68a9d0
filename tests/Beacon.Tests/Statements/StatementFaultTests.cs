using System.Net;
using Beacon.Domain.Statements;
using Beacon.Tests.Vendor;
using static Beacon.Testing.FaultInjectingTransport;

namespace Beacon.Tests.Statements;

/// <summary>The ledger's transactions when storage commits a write but its answer is lost (the SDK then retries).</summary>
[Collection(LedgerCollection.Name)]
[Trait("Tier", "Slow")] // fault runs
public sealed class StatementFaultTests(NoFleetWriterFixture f) : IDisposable
{
    public void Dispose() => f.Faults.Set(null);

    private Month Back(int months) => StatementDataset.MonthsBack(f, months);

    /// <summary>Loses the answer of the first ledger transaction that inserts an adjustment.</summary>
    private Func<int> LoseFirstAdjustmentAnswer()
    {
        int lost = 0;
        f.Faults.Set(r => r.Method.Method == "POST" && r.Uri.ToUri().AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal)
                          && BodyOf(r).Contains("adj|", StringComparison.Ordinal) && Interlocked.CompareExchange(ref lost, 1, 0) == 0
            ? Fault.CommitUnknown : Fault.None);
        return () => Volatile.Read(ref lost);
    }

    [Fact]
    public async Task Late_usage_whose_adjustment_answer_is_lost_is_recorded_once()
    {
        var key = await Operators.NewKeyAsync(f, "ops-faults");
        var month = Back(23);
        var data = await StatementDataset.CreateAsync(f, month);
        var random = new Random(66);
        await data.AddUsageAsync(random, windows: 8, traceBatches: 1);
        Assert.Equal(HttpStatusCode.OK, (await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/statements/{month}/close", key)).StatusCode);
        var frozen = data.LinesOf(await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={month}", key));
        await data.AddUsageAsync(random, windows: 8, traceBatches: 1);

        var lost = LoseFirstAdjustmentAnswer();
        for (int i = 0; i < 5 && (await f.Run().RunAsync(null, data.Org.OrgId)).Orgs.Any(o => o.StepsDeferred > 0); i++) { }
        Assert.Equal(1, lost());

        var adjustments = (await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={month.Next}", key)).GetProperty("adjustments").EnumerateArray()
            .Where(a => a.GetProperty("org_id").GetString() == data.Org.OrgId);
        var reconciled = new Dictionary<string, Totals>(frozen);
        foreach (var a in adjustments)
        {
            var license = a.GetProperty("license_id").GetString() ?? "";
            reconciled[license] = (reconciled.GetValueOrDefault(license) ?? Totals.Zero).Plus(a.GetProperty("metric").GetString()!, a.GetProperty("delta").GetInt64());
        }
        Assert.Equal(data.Expected().OrderBy(kv => kv.Key), reconciled.Where(kv => !kv.Value.IsZero).OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task A_manual_adjustment_whose_answer_is_lost_is_recorded_once()
    {
        var key = await Operators.NewKeyAsync(f, "ops-faults-2");
        var org = await f.NewOrgAsync();
        var month = Back(25);
        var reason = "Goodwill " + Guid.NewGuid().ToString("N")[..8];
        var lost = LoseFirstAdjustmentAnswer();
        var response = await Operators.SendAsync(f.Http, HttpMethod.Post, "/api/v1/operator/adjustments", key,
            new { org_id = org.OrgId, license_id = org.LicenseId, metric = "nodes_executed", delta = -7, for_month = month.ToString(), reason });
        Assert.Equal(1, lost());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var listed = (await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/statements?month={month}", key)).GetProperty("adjustments").EnumerateArray()
            .Count(a => a.GetProperty("reason").GetString() == reason);
        Assert.Equal(1, listed);
    }
}
