namespace Beacon.Api.Telemetry;

/// <summary>
/// What an export had that was not stored, by reason, for OTLP's <c>partial_success</c>: the count goes to
/// <c>rejected_*</c> and the reasons to <c>error_message</c>, so an install sees every record it lost and why.
/// </summary>
internal sealed class OtlpDrops
{
    private readonly SortedDictionary<string, long> _byReason = new(StringComparer.Ordinal);

    public long Count => _byReason.Values.Sum();

    public void Add(string reason, long count = 1)
    {
        if (count > 0) _byReason[reason] = _byReason.GetValueOrDefault(reason) + count;
    }

    /// <summary>"2 dated more than 24 h ahead; 1 duplicate in this export", or "" when nothing was dropped.</summary>
    public string Message => string.Join("; ", _byReason.Select(r => $"{r.Value} {r.Key}"));
}
