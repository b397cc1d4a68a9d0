namespace Beacon.Domain.Usage;

/// <summary>
/// Splits an integer count in proportion to weights with the largest-remainder (Hamilton) method,
/// so the parts are integers that always sum to the count. Exact: products are computed in 128 bits.
/// </summary>
public static class Apportionment
{
    /// <param name="count">The non-negative total to split.</param>
    /// <param name="weights">Non-negative weights, at least one positive.</param>
    /// <returns>One part per weight; ties in remainder go to the earlier index.</returns>
    public static long[] LargestRemainder(long count, IReadOnlyList<long> weights)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (weights.Count == 0) throw new ArgumentException("At least one weight is required.", nameof(weights));

        Int128 total = 0;
        foreach (var w in weights)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(w, nameof(weights));
            total += w;
        }
        if (total == 0) throw new ArgumentException("At least one weight must be positive.", nameof(weights));

        var parts = new long[weights.Count];
        var remainders = new Int128[weights.Count];
        long assigned = 0;
        for (int i = 0; i < weights.Count; i++)
        {
            Int128 product = (Int128)count * weights[i];
            parts[i] = (long)(product / total);
            remainders[i] = product % total;
            assigned += parts[i];
        }

        long leftover = count - assigned; // < weights.Count by construction
        if (leftover > 0)
        {
            // Stable order: larger remainder first, then earlier index.
            var order = Enumerable.Range(0, weights.Count)
                .OrderByDescending(i => remainders[i])
                .ThenBy(i => i)
                .Take((int)leftover);
            foreach (var i in order) parts[i]++;
        }
        return parts;
    }
}
