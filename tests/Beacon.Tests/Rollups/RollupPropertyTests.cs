using Beacon.Storage.Rollups;
using Beacon.Tests.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Rollups;

/// <summary>
/// The usage API's answer equals the brute-force model's in every rollup state: no rollups, a rollup
/// that crashed part-way, complete rollups, rollups made stale by late data, and after they are
/// recomputed: 20 datasets a run, from a new start each run (<see cref="PropertySeeds"/>). Set
/// BEACON_ROLLUP_PROPERTY_DATASETS to change the number of datasets.
/// </summary>
[Collection(RollupPropertyCollection.Name)]
[Trait("Tier", "Slow")] // property datasets
public sealed class RollupPropertyTests(NoFleetWriterFixture f)
{
    private static int Datasets => int.TryParse(Environment.GetEnvironmentVariable("BEACON_ROLLUP_PROPERTY_DATASETS"), out var n) ? n : 20;

    private sealed class Crash : Exception;

    [Fact]
    public async Task Answers_are_exact_with_rollups_absent_partial_present_stale_and_recomputed()
    {
        // No grace period: nothing writes while a run works here, and marks must be cleared so that the
        // "rolled up" state really answers from rollup cells.
        var options = new RollupOptions { StageExports = false, Grace = TimeSpan.Zero };
        var engine = f.Services.GetRequiredService<Storage.Query.UsageQueryEngine>();
        int compared = 0;
        // Not the granular test's datasets: an offset start.
        for (int seed = PropertySeeds.Start + 500_000; seed < PropertySeeds.Start + 500_000 + Datasets; seed++)
        {
            var random = new Random(seed);
            var data = await UsageDataset.CreateAsync(f, seed);
            async Task CompareAsync(string state)
            {
                for (int q = 0; q < 3; q++)
                {
                    var (rows, expected, description) = await GranularUsagePropertyTests.AskAsync(data, random, f);
                    Assert.True(expected.SequenceEqual(rows), $"dataset {seed} ({state}; {PropertySeeds.Replay}), {description}\nexpected:\n{string.Join('\n', expected)}\nactual:\n{string.Join('\n', rows)}");
                    compared++;
                }
            }

            await CompareAsync("no rollups");

            // A run that dies after a few chunks: progress is partial, marks are not cleared.
            int chunks = 0, crashAfter = random.Next(1, 6);
            var crashing = f.Run(options, (_, _) => ++chunks >= crashAfter ? throw new Crash() : Task.CompletedTask);
            Assert.NotNull(Assert.Single((await crashing.RunAsync(onlyOrg: data.Org.OrgId)).Orgs).Error);
            await CompareAsync($"crashed after {crashAfter} chunks");

            var job = f.Run(options);
            var report = Assert.Single((await job.RunAsync(onlyOrg: data.Org.OrgId)).Orgs);
            Assert.True(report.RolledThrough >= DateOnly.FromDateTime(UsageDataset.Base.UtcDateTime.AddDays(60)));
            Assert.True(report.FirstDay <= DateOnly.FromDateTime(UsageDataset.Base.UtcDateTime));
            var coverage = await engine.GetCoverageAsync(data.Org.OrgId, new Domain.Query.DefaultWorkspace(data.Model.DefaultWorkspace));
            Assert.Empty(coverage.Dirty);
            Assert.True(coverage.IsUsable(new Domain.Query.Block(Domain.Query.BlockSize.Month, new DateOnly(2026, 1, 1))));
            await CompareAsync("rolled up");

            await data.AddUsageAsync(random, windows: random.Next(1, 8), batches: random.Next(0, 3));
            Assert.NotEmpty((await engine.GetCoverageAsync(data.Org.OrgId, new Domain.Query.DefaultWorkspace(data.Model.DefaultWorkspace))).Dirty);
            await CompareAsync("stale: late data after the rollup");

            await job.RunAsync(onlyOrg: data.Org.OrgId);
            await CompareAsync("recomputed");
        }
        Assert.True(compared >= Datasets * 15);
    }
}
