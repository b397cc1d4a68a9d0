using System.Globalization;

namespace Beacon.Tests.Usage;

/// <summary>
/// For random datasets and random queries, the API's answer equals the brute-force model's: 60 datasets a
/// run, from a new start each run (<see cref="PropertySeeds"/>). Set BEACON_PROPERTY_DATASETS to run more
/// (or fewer) datasets.
/// </summary>
[Collection(PropertyCollection.Name)]
[Trait("Tier", "Slow")] // property datasets
public sealed class GranularUsagePropertyTests(NoFleetWriterFixture f)
{
    public static int Datasets => int.TryParse(Environment.GetEnvironmentVariable("BEACON_PROPERTY_DATASETS"), out var n) ? n : 60;

    [Fact]
    public async Task The_api_answer_equals_a_brute_force_aggregation_of_the_raw_records()
    {
        int queries = 0, nonEmpty = 0;
        for (int seed = PropertySeeds.Start; seed < PropertySeeds.Start + Datasets; seed++)
        {
            var data = await UsageDataset.CreateAsync(f, seed);
            var random = new Random(seed * 7919);
            for (int q = 0; q < 4; q++)
            {
                var (rows, expected, description) = await AskAsync(data, random, f);
                Assert.True(expected.SequenceEqual(rows), $"dataset {seed} ({PropertySeeds.Replay}), {description}\nexpected:\n{string.Join('\n', expected)}\nactual:\n{string.Join('\n', rows)}");
                queries++;
                if (expected.Count > 0) nonEmpty++;
            }
        }
        // The generator must actually exercise the comparison.
        Assert.True(nonEmpty > queries / 2, $"only {nonEmpty} of {queries} queries had usage");
    }

    internal static async Task<(List<UsageModel.Row> Actual, List<UsageModel.Row> Expected, string Description)> AskAsync(UsageDataset data, Random random, BeaconFixture? fixture = null)
    {
        var (kind, group, tier, start, end, ws, comma) = data.RandomQuery(random);
        var startText = random.Next(2) == 0 ? UsageModel.Iso(start) : start.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var query = UsageClient.QueryString(kind, group, tier, startText, UsageModel.Iso(end), ws, comma);
        var (_, rows) = await UsageClient.QueryAsync(fixture!.Http, data.ReaderKey, query, group);
        var expected = data.Model.Answer(kind, group, kind == "traces" ? tier : null, start, end, ws.ToHashSet());
        return (rows, expected, query);
    }
}
