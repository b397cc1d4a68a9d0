using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Api;

[Collection(BeaconCollection.Name)]
public sealed class IngestTracesTests(NoFleetWriterFixture f)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static async Task<int> InsertedAsync(HttpResponseMessage r)
    {
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("inserted_count").GetInt32();
    }

    [Fact]
    public async Task An_unknown_transaction_type_is_counted_as_short_lived_and_the_sender_is_told()
    {
        var org = await f.NewOrgAsync();
        var known = await f.PostJsonAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, [
            Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "", 2, Start, "longlived_traces"),
            Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "", 3, Start, "shortlived")]));
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal("{\"inserted_count\":2}", await known.Content.ReadAsStringAsync());

        var odd = await f.PostJsonAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, [
            Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "", 5, Start, "experimental"),
            Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "", 7, Start, "experimental")]));
        var body = await odd.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, body.GetProperty("inserted_count").GetInt32());
        var note = Assert.Single(body.GetProperty("notes").EnumerateArray()).GetString()!;
        Assert.Contains("\"experimental\" (2 transaction(s))", note, StringComparison.Ordinal);
        Assert.Contains("counted as shortlived", note, StringComparison.Ordinal);
        var stored = await f.RawAsync(f.Tables.TraceTransactions, org.OrgId);
        Assert.Equal(3 + 5 + 7, stored.Where(e => e.GetString("tier") == "shortlived").Sum(e => e.GetInt64("trace_count")));
    }

    [Fact]
    public async Task Eight_concurrent_identical_batches_insert_each_id_exactly_once()
    {
        var org = await f.NewOrgAsync();
        var batch = Payloads.Traces(org.LicenseKey, Enumerable.Range(0, 40).Select(i =>
            Payloads.Transaction(Guid.NewGuid().ToString(), i % 2 == 0 ? org.WorkspaceA : org.WorkspaceB, Guid.NewGuid().ToString(), i + 1, Start.AddMinutes(i))));

        var counts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => await InsertedAsync(await f.PostJsonAsync("/v1/beacon/ingest-traces", batch))));

        Assert.Equal(40, counts.Sum());
        var stored = await f.RawAsync(f.Tables.TraceTransactions, org.OrgId);
        Assert.Equal(40, stored.Count);
        Assert.Equal(Enumerable.Range(1, 40).Sum(), stored.Sum(e => e.GetInt64("trace_count")));
    }

    [Fact]
    public async Task A_duplicate_id_inside_one_batch_counts_once_and_a_later_repeat_is_a_no_op()
    {
        var org = await f.NewOrgAsync();
        var id = Guid.NewGuid().ToString();
        var first = Payloads.Traces(org.LicenseKey, [
            Payloads.Transaction(id, org.WorkspaceA, "p", 5, Start),
            Payloads.Transaction(id, org.WorkspaceA, "p", 5, Start),
            Payloads.Transaction(Guid.NewGuid().ToString(), org.WorkspaceA, "p", 2, Start),
        ]);
        // A repeat with different content (another day, another count) changes nothing: the id decides.
        var repeat = Payloads.Traces(org.LicenseKey, [Payloads.Transaction(id.ToUpperInvariant(), org.WorkspaceB, "q", 999, Start.AddDays(-30))]);

        Assert.Equal(2, await InsertedAsync(await f.PostJsonAsync("/v1/beacon/ingest-traces", first)));
        Assert.Equal(0, await InsertedAsync(await f.PostJsonAsync("/v1/beacon/ingest-traces", repeat)));

        var stored = await f.RawAsync(f.Tables.TraceTransactions, org.OrgId);
        Assert.Equal(2, stored.Count);
        Assert.Equal(7, stored.Sum(e => e.GetInt64("trace_count")));
        Assert.All(stored, e => Assert.EndsWith("|20260310", e.PartitionKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_claim_without_its_day_record_is_repaired_by_the_retry()
    {
        var org = await f.NewOrgAsync();
        var id = Guid.NewGuid().ToString();
        var body = Payloads.Traces(org.LicenseKey, [Payloads.Transaction(id, org.WorkspaceA, "p", 11, Start)]);
        await InsertedAsync(await f.PostJsonAsync("/v1/beacon/ingest-traces", body));
        // Simulate a crash between the claim and the day record.
        var record = Assert.Single(await f.RawAsync(f.Tables.TraceTransactions, org.OrgId));
        await f.Tables.TraceTransactions.DeleteEntityAsync(record.PartitionKey, record.RowKey, Azure.ETag.All);

        Assert.Equal(0, await InsertedAsync(await f.PostJsonAsync("/v1/beacon/ingest-traces", body)));

        var repaired = Assert.Single(await f.RawAsync(f.Tables.TraceTransactions, org.OrgId));
        Assert.Equal(11, repaired.GetInt64("trace_count"));
    }

    [Fact]
    public async Task Tiers_map_from_the_transaction_type_and_optional_fields_are_kept()
    {
        var org = await f.NewOrgAsync();
        var user = Guid.NewGuid().ToString();
        var txs = new[] { "longlived", "longlived_traces", "shortlived", "", "anything" }.Select((type, i) =>
        {
            var t = (Dictionary<string, object?>)Payloads.Transaction($"tx-{i}-{Guid.NewGuid():N}", org.WorkspaceA, "p", 1, Start, type);
            t["user_id"] = user;
            t["api_key_short_key"] = "bcn_ak_...wxyz";
            return (object)t;
        });

        await InsertedAsync(await f.PostJsonAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, txs)));

        var stored = (await f.RawAsync(f.Tables.TraceTransactions, org.OrgId)).OrderBy(e => e.GetString("id")).ToList();
        Assert.Equal(["longlived", "longlived", "shortlived", "shortlived", "shortlived"], stored.Select(e => e.GetString("tier")));
        Assert.All(stored, e => Assert.Equal((user, "bcn_ak_...wxyz"), (e.GetString("user_id"), e.GetString("api_key_short_key"))));
    }

    [Fact]
    public async Task License_key_may_be_sent_as_license_and_claims_record_what_was_counted()
    {
        var org = await f.NewOrgAsync();
        var id = Guid.NewGuid().ToString();
        var body = JsonSerializer.Serialize(new { license = org.LicenseKey, trace_transactions = new[] { Payloads.Transaction(id, org.WorkspaceA, "p", 3, Start) } });

        Assert.Equal(1, await InsertedAsync(await f.PostJsonAsync("/v1/beacon/ingest-traces", body)));
        var claim = await f.Services.GetRequiredService<TraceStore>().GetClaimAsync(org.OrgId, id);
        Assert.Equal(3, claim!.GetInt64("trace_count"));
    }
}
