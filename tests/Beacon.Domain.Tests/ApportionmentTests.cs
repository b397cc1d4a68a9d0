using System.Numerics;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Tests;

public sealed class ApportionmentTests
{
    [Fact]
    public void The_worked_examples_of_the_36_hour_window()
    {
        long[] hours = [6, 24, 6];
        Assert.Equal([2L, 7L, 1L], Apportionment.LargestRemainder(10, hours));
        Assert.Equal([1L, 5L, 1L], Apportionment.LargestRemainder(7, hours));
    }

    [Fact]
    public void Ties_go_to_the_earlier_index()
    {
        Assert.Equal([1L, 0L], Apportionment.LargestRemainder(1, [1, 1]));
        Assert.Equal([1L, 1L, 0L], Apportionment.LargestRemainder(2, [1, 1, 1]));
    }

    [Fact]
    public void Huge_counts_and_weights_do_not_overflow()
    {
        var parts = Apportionment.LargestRemainder(long.MaxValue, [long.MaxValue / 3, long.MaxValue / 3, 1]);
        Assert.Equal(long.MaxValue, parts.Aggregate(BigInteger.Zero, (a, b) => a + b));
    }

    /// <summary>Property: parts sum to the count, each part is its exact quota rounded down or up, and the
    /// ones rounded up are those with the largest remainders (earlier first on ties).</summary>
    [Fact]
    public void Parts_always_sum_to_the_count_and_follow_the_largest_remainder_rule()
    {
        var random = new Random(20260310);
        for (int trial = 0; trial < 5000; trial++)
        {
            int n = random.Next(1, 12);
            var weights = Enumerable.Range(0, n).Select(_ => random.Next(4) == 0 ? 0L : random.NextInt64(1, 1_000_000_000_000)).ToArray();
            if (weights.All(w => w == 0)) weights[0] = 1;
            long count = random.Next(3) switch { 0 => random.Next(0, 5), 1 => random.Next(0, 100_000), _ => random.NextInt64(0, long.MaxValue / 2) };

            var parts = Apportionment.LargestRemainder(count, weights);

            BigInteger total = weights.Aggregate(BigInteger.Zero, (a, w) => a + w);
            Assert.Equal(count, parts.Aggregate(BigInteger.Zero, (a, p) => a + p));
            var remainders = new BigInteger[n];
            for (int i = 0; i < n; i++)
            {
                var exact = BigInteger.DivRem(count * (BigInteger)weights[i], total, out remainders[i]);
                Assert.InRange(parts[i] - exact, BigInteger.Zero, BigInteger.One);
            }
            var roundedUp = Enumerable.Range(0, n).Where(i => parts[i] > BigInteger.Divide(count * (BigInteger)weights[i], total)).ToList();
            var expected = Enumerable.Range(0, n).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take(roundedUp.Count).Order().ToList();
            Assert.Equal(expected, roundedUp);
        }
    }

    [Fact]
    public void Invalid_input_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Apportionment.LargestRemainder(-1, [1]));
        Assert.Throws<ArgumentException>(() => Apportionment.LargestRemainder(1, []));
        Assert.Throws<ArgumentException>(() => Apportionment.LargestRemainder(1, [0, 0]));
    }
}
