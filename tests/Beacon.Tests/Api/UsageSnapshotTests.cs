using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Api;

/// <summary><c>POST /v1/beacon/usage-snapshot</c> (SPEC §4.6): stored, superseded by key, refused whole when bad.</summary>
[Collection(BeaconCollection.Name)]
public sealed class UsageSnapshotTests(NoFleetWriterFixture f)
{
    private static string Body(string credentialField, string key, string from, string to, object measures) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { [credentialField] = key, ["from_timestamp"] = from, ["to_timestamp"] = to, ["measures"] = measures });

    private static readonly Dictionary<string, long> Measures = new()
    {
        ["workspaces"] = 12, ["users"] = 63, ["projects"] = 87, ["experiments"] = 34, ["datasets"] = 15, ["evaluators"] = 8, ["run_rules"] = 5,
        ["annotation_queues"] = 3, ["prompts"] = 22, ["prompt_commits"] = 156, ["prompt_pulls"] = 1043, ["active_pats_30d"] = 47,
    };

    private SnapshotStore Store => f.Services.GetRequiredService<SnapshotStore>();

    [Fact]
    public async Task A_snapshot_is_stored_superseded_by_a_later_copy_and_not_by_an_older_one()
    {
        var org = await f.NewOrgAsync();
        var first = Body("license_key", org.LicenseKey, "2026-03-25T02:00:00+00:00", "2026-03-26T02:00:00+00:00", Measures);
        var later = Body("license_key", org.LicenseKey, "2026-03-25T02:00:00+00:00", "2026-03-26T03:00:00+00:00", new Dictionary<string, long>(Measures) { ["users"] = 64 });
        var next = Body("license", org.LicenseKey, "2026-03-26T02:00:00+00:00", "2026-03-27T02:00:00+00:00", new Dictionary<string, long> { ["users"] = 70 });

        foreach (var body in new[] { first, later, first, next })
            Assert.Equal(HttpStatusCode.NoContent, (await f.PostJsonAsync("/v1/beacon/usage-snapshot", body)).StatusCode);

        var stored = await Store.ListAsync(org.LicenseId);
        Assert.Equal([70L, 64L], stored.Select(s => s.Measures["users"]));
        Assert.Equal(new DateTimeOffset(2026, 3, 26, 3, 0, 0, TimeSpan.Zero), stored[1].To);
        Assert.Equal(1043, stored[1].Measures["prompt_pulls"]);
    }

    [Theory]
    [InlineData("{\"users\": -1}")]
    [InlineData("{\"users\": 1.5}")]
    [InlineData("{\"users\": \"3\"}")]
    [InlineData("[1, 2]")]
    public async Task Bad_measures_are_refused_with_a_problem_and_nothing_is_stored(string measures)
    {
        var org = await f.NewOrgAsync();
        var body = $$"""{"license_key":"{{org.LicenseKey}}","from_timestamp":"2026-03-25T02:00:00+00:00","to_timestamp":"2026-03-26T02:00:00+00:00","measures":{{measures}}}""";
        var response = await f.PostJsonAsync("/v1/beacon/usage-snapshot", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await Store.ListAsync(org.LicenseId));
    }

    [Fact]
    public async Task Missing_times_too_many_measures_and_an_api_key_are_refused_and_nothing_is_stored()
    {
        var org = await f.NewOrgAsync();
        var noTimes = await f.PostJsonAsync("/v1/beacon/usage-snapshot", JsonSerializer.Serialize(new { license_key = org.LicenseKey, measures = Measures }));
        var problem = await noTimes.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, noTimes.StatusCode);
        Assert.Equal(["from_timestamp", "to_timestamp"], problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
        var many = Enumerable.Range(0, 101).ToDictionary(i => $"m{i}", i => (long)i);
        Assert.Equal(HttpStatusCode.BadRequest, (await f.PostJsonAsync("/v1/beacon/usage-snapshot", Body("license_key", org.LicenseKey, "2026-03-25T02:00:00+00:00", "2026-03-26T02:00:00+00:00", many))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await f.PostJsonAsync("/v1/beacon/usage-snapshot", Body("license_key", org.LicenseKey, "2026-03-26T02:00:00+00:00", "2026-03-25T02:00:00+00:00", Measures))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await f.PostJsonAsync("/v1/beacon/usage-snapshot", Body("api_key", org.ApiKey, "2026-03-25T02:00:00+00:00", "2026-03-26T02:00:00+00:00", Measures))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await f.PostJsonAsync("/v1/beacon/usage-snapshot", Body("license_key", "lcl_" + new string('x', 40), "2026-03-25T02:00:00+00:00", "2026-03-26T02:00:00+00:00", Measures))).StatusCode);
        Assert.Empty(await Store.ListAsync(org.LicenseId));
    }
}
