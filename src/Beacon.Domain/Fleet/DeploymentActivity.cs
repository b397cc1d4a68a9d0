using Beacon.Domain.Usage;

namespace Beacon.Domain.Fleet;

/// <summary>
/// What the vendor's fleet view keeps per deployment (license or API key, workspace, project), built
/// from usage windows off the request path: first and last report, the latest window's client tags and
/// gauges, replica chains, and runs and nodes per hour of window end for the last day. Instances build
/// one from the windows they accept and merge it into the stored one (<see cref="Absorb"/>), so the
/// merge must be order-free: latest wins by window end, times take the extremes, chains join, hours add.
/// </summary>
public sealed class DeploymentActivity
{
    /// <summary>Chains kept per deployment, newest first; a deployment with more live replicas shows this many.</summary>
    public const int MaxChains = 200;

    /// <summary>Tags and gauges kept from the latest window: enough for a support view, bounded in size.</summary>
    public const int MaxEntries = 64;
    public const int MaxValueChars = 256;

    /// <summary>
    /// All feature names and values together (and all gauge names), in characters. Stored as JSON, where
    /// escaping can grow text six times, they still fit one table property (32 K characters), so a
    /// window that is inside every limit always gets its fleet record (SPEC §15).
    /// </summary>
    public const int MaxEntryChars = 4_096;

    /// <summary>The feature that says how many features of the latest window were left out past the bounds.</summary>
    public const string FeaturesCut = "beacon.features_cut";

    public static readonly IReadOnlyList<(string Field, string Tag)> ClientTags =
    [
        ("langgraph_api_version", "langgraph_api.version"),
        ("langgraph_version", "langgraph.python.version"),
        ("host", UsageReport.HostTag),
        ("plan", "langgraph.platform.plan"),
        ("variant", "langgraph.platform.variant"),
        ("revision", "langgraph.platform.revision"),
    ];

    private const long MicrosPerHour = 3_600_000_000;
    private readonly List<ReplicaChain> _chains = [];
    private readonly SortedDictionary<long, (long Runs, long Nodes)> _hours = [];

    public DateTimeOffset? FirstReportAt { get; private set; }
    public DateTimeOffset? LastReportAt { get; private set; }

    /// <summary>End of the latest window seen; its tags and gauges are the ones kept.</summary>
    public long LatestToMicros { get; private set; } = long.MinValue;
    public IReadOnlyDictionary<string, string> Client { get; private set; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Features { get; private set; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, double> Gauges { get; private set; } = new Dictionary<string, double>();

    public IReadOnlyList<ReplicaChain> Chains => _chains;

    /// <summary>Runs and nodes added by windows ending in each hour (key: the hour's start, µs since the epoch).</summary>
    public IReadOnlyDictionary<long, (long Runs, long Nodes)> Hours => _hours;

    public bool IsEmpty => LastReportAt is null;

    public void Observe(WindowObservation o)
    {
        Seen(o.ReceivedAt, o.ReceivedAt);
        if (o.ToMicros >= LatestToMicros)
            SetLatest(o.ToMicros, Select(o.Tags, ClientTags), SelectFeatures(o.Tags), SelectGauges(o.Gauges));
        AddChain(new ReplicaChain(o.FromMicros, o.FromMicros, o.ToMicros, o.ReceivedAt));
        AddHour(HourOf(o.ToMicros), o.RunsAdded, o.NodesAdded);
    }

    /// <summary>Merges another activity of the same deployment into this one (stored ⊕ pending, in either order).</summary>
    public void Absorb(DeploymentActivity other)
    {
        if (other.FirstReportAt is { } first) Seen(first, other.LastReportAt!.Value);
        if (other.LatestToMicros > LatestToMicros) SetLatest(other.LatestToMicros, other.Client, other.Features, other.Gauges);
        foreach (var c in other._chains) AddChain(c);
        foreach (var (hour, (runs, nodes)) in other._hours) AddHour(hour, runs, nodes);
    }

    /// <summary>Restores stored state (the storage layer's reader).</summary>
    public static DeploymentActivity Restore(
        DateTimeOffset? firstReportAt, DateTimeOffset? lastReportAt, long latestToMicros,
        IReadOnlyDictionary<string, string> client, IReadOnlyDictionary<string, string> features, IReadOnlyDictionary<string, double> gauges,
        IEnumerable<ReplicaChain> chains, IEnumerable<KeyValuePair<long, (long Runs, long Nodes)>> hours)
    {
        var a = new DeploymentActivity { FirstReportAt = firstReportAt, LastReportAt = lastReportAt };
        a.SetLatest(latestToMicros, client, features, gauges);
        foreach (var c in chains) a.AddChain(c);
        foreach (var (hour, v) in hours) a.AddHour(hour, v.Runs, v.Nodes);
        return a;
    }

    /// <summary>Forgets chains that stopped and hours older than a day: what is stored stays small.</summary>
    public void Prune(DateTimeOffset now)
    {
        _chains.RemoveAll(c => now - c.LastSeenAt > ReportingState.SilentAfter);
        var oldest = FirstCountedHour(now);
        foreach (var hour in _hours.Keys.Where(h => h < oldest).ToList()) _hours.Remove(hour);
    }

    /// <summary>Replicas with a window received in the last 660 s: distinct live chains.</summary>
    public int Replicas(DateTimeOffset now) => _chains.Count(c => now - c.LastSeenAt <= ReportingState.SilentAfter);

    /// <summary>Runs and nodes of windows that ended in the current UTC hour or the 23 before it.</summary>
    public (long Runs, long Nodes) Last24Hours(DateTimeOffset now)
    {
        var oldest = FirstCountedHour(now);
        long runs = 0, nodes = 0;
        foreach (var (hour, v) in _hours)
            if (hour >= oldest) (runs, nodes) = (Saturating(runs, v.Runs), Saturating(nodes, v.Nodes));
        return (runs, nodes);
    }

    private static long FirstCountedHour(DateTimeOffset now) => HourOf(Time.Timestamps.FromDateTimeOffset(now)) - 23 * MicrosPerHour;

    private static long HourOf(long micros) => micros - (((micros % MicrosPerHour) + MicrosPerHour) % MicrosPerHour);

    private void Seen(DateTimeOffset first, DateTimeOffset last)
    {
        if (FirstReportAt is null || first < FirstReportAt) FirstReportAt = first;
        if (LastReportAt is null || last > LastReportAt) LastReportAt = last;
    }

    private void SetLatest(long toMicros, IReadOnlyDictionary<string, string> client, IReadOnlyDictionary<string, string> features, IReadOnlyDictionary<string, double> gauges)
    {
        LatestToMicros = toMicros;
        Client = client;
        Features = features;
        Gauges = gauges;
    }

    private void AddChain(ReplicaChain chain)
    {
        // A chain may join several others (a window that fills the gap between two halves seen apart).
        var merged = chain;
        for (int i = _chains.Count - 1; i >= 0; i--)
        {
            if (!_chains[i].Touches(merged)) continue;
            merged = _chains[i].Join(merged);
            _chains.RemoveAt(i);
            i = _chains.Count; // restart: the grown chain may now touch one already passed
        }
        _chains.Add(merged);
        if (_chains.Count > MaxChains)
        {
            _chains.Sort((a, b) => b.LastSeenAt.CompareTo(a.LastSeenAt));
            _chains.RemoveRange(MaxChains, _chains.Count - MaxChains);
        }
    }

    private void AddHour(long hour, long runs, long nodes)
    {
        if (runs == 0 && nodes == 0) return;
        var (r, n) = _hours.GetValueOrDefault(hour);
        _hours[hour] = (Saturating(r, runs), Saturating(n, nodes));
    }

    // An indicator, not a billed number: it may not overflow, and it need not exceed Int64.
    private static long Saturating(long a, long b) => b > 0 && a > long.MaxValue - b ? long.MaxValue : a + b;

    private static Dictionary<string, string> Select(IReadOnlyDictionary<string, string> tags, IEnumerable<(string Field, string Tag)> wanted) =>
        wanted.ToDictionary(w => w.Field, w => Clip(tags.GetValueOrDefault(w.Tag, "")));

    private static Dictionary<string, string> SelectFeatures(IReadOnlyDictionary<string, string> tags)
    {
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        int chars = 0, cut = 0;
        foreach (var (name, value) in tags.Where(t => t.Key.StartsWith("user_app.", StringComparison.Ordinal) || t.Key.StartsWith("langgraph.platform.uses_", StringComparison.Ordinal)))
        {
            var (k, v) = (Clip(name), Clip(value));
            if (kept.Count == MaxEntries || chars + k.Length + v.Length > MaxEntryChars || !kept.TryAdd(k, v))
            {
                cut++;
                continue;
            }
            chars += k.Length + v.Length;
        }
        if (cut > 0) kept[FeaturesCut] = cut.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return kept;
    }

    private static Dictionary<string, double> SelectGauges(IReadOnlyDictionary<string, double> gauges)
    {
        var kept = new Dictionary<string, double>(StringComparer.Ordinal);
        int chars = 0;
        foreach (var (name, value) in gauges)
        {
            var k = Clip(name);
            if (kept.Count == MaxEntries || chars + k.Length > MaxEntryChars || !kept.TryAdd(k, value)) continue;
            chars += k.Length;
        }
        return kept;
    }

    // Never half a surrogate pair: the cut text is stored and shown.
    private static string Clip(string s) =>
        s.Length <= MaxValueChars ? s : s[..(char.IsHighSurrogate(s[MaxValueChars - 1]) ? MaxValueChars - 1 : MaxValueChars)];
}
