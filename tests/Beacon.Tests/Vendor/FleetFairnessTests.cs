using System.Net;
using System.Text;

namespace Beacon.Tests.Vendor;

/// <summary>
/// The fleet recorder's bounds are per org and fair (SPEC §15): one org flooding new deployments fills
/// only its own share, and another org's new deployment still reaches the fleet view within 60 s.
/// </summary>
[Collection(FleetCollection.Name)]
public sealed class FleetFairnessTests(BeaconFixture f)
{
    [Fact]
    public async Task Under_a_flood_of_new_deployments_from_one_org_another_orgs_new_deployment_shows_within_60_seconds()
    {
        // Small bounds, so a flood the test can send fills them: 30 in all, 20 per org, 5 kept for every org.
        var (app, http) = await f.StartAppAsync(new Dictionary<string, string>
        {
            ["Beacon:FleetMaxDeployments"] = "30", ["Beacon:FleetMaxDeploymentsPerOrg"] = "20", ["Beacon:FleetSharePerOrg"] = "5",
        });
        try
        {
            var key = await Operators.NewKeyAsync(f, "ops-fairness");
            var flooder = await f.NewOrgAsync();
            var second = await f.NewOrgAsync();
            var quiet = await f.NewOrgAsync();
            var at = f.Clock.GetUtcNow().AddMinutes(-10);
            async Task SubmitAsync(TestOrg org, string project)
            {
                var window = Payloads.Window(org.LicenseKey, null, at, at.AddMinutes(5), 1, 1, org.WorkspaceA, project);
                var response = await http.PostAsync("/v1/metadata/submit", new StringContent(window, Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            }
            await Parallel.ForEachAsync(Enumerable.Range(0, 60), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) => await SubmitAsync(flooder, $"flood-{i}"));
            await Parallel.ForEachAsync(Enumerable.Range(0, 30), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) => await SubmitAsync(second, $"more-{i}"));

            await SubmitAsync(quiet, "the-new-one");

            var started = DateTime.UtcNow;
            var shown = await Operators.EventuallyAsync(() => Operators.DeploymentsAsync(f, key, quiet.OrgId), l => l.Count == 1, seconds: 60);
            Assert.Equal("the-new-one", Assert.Single(shown).GetProperty("project_id").GetString());
            var flooded = await Operators.EventuallyAsync(() => Operators.DeploymentsAsync(f, key, flooder.OrgId), l => l.Count == 20, seconds: 60);
            Assert.Equal(20, flooded.Count); // its cap: the other 40 were refused by the recorder (billing is untouched)
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60));
            // The recorder logs its refusals after the round that made them: wait for that round's log line.
            bool Logged() => f.Logs.Lines.Any(m => m.Contains("at its share of the fleet recorder", StringComparison.Ordinal) && m.Contains(flooder.OrgId, StringComparison.Ordinal));
            Assert.True(await Operators.EventuallyAsync(() => Task.FromResult(Logged()), logged => logged, seconds: 60), "no log line names the flooding org");
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
