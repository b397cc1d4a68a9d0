using System.Globalization;
using System.Numerics;

namespace Beacon.Tests.Usage;

/// <summary>
/// An independent, brute-force model of what Beacon should answer, written from the spec without the
/// production code: it remembers what was submitted, applies the supersede and idempotency rules, and
/// aggregates day by day with its own (BigInteger) largest-remainder split. Standby minutes are counted
/// minute by minute: a UTC minute counts once per deployment (workspace — the default one for usage
/// without one —, project, billed license) when any of its windows overlaps it with positive length; the
/// user and api_key groupings count each group's own windows (SPEC §14).
/// </summary>
public sealed class UsageModel
{
    public sealed record Window(string Ws, string Project, DateTimeOffset From, DateTimeOffset To, long Runs, long Nodes, string User, string Key, string License = "");

    public sealed record Trace(string Id, string Ws, string Project, long Count, DateTimeOffset Start, bool LongLived, string User, string Key);

    public sealed record Row(DateTimeOffset Bucket, string? Id, string? Name, long Traces, long Nodes, long Runs, long Uptime, long Standby = 0);

    private readonly Dictionary<(string, string, long), Window> _windows = [];
    private readonly Dictionary<string, Trace> _traces = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string> WorkspaceNames { get; } = [];

    /// <summary>The org's default workspace: usage reported without a workspace is counted there.</summary>
    public string DefaultWorkspace { get; set; } = "";
    public Dictionary<string, string> ProjectNames { get; } = [];
    public Dictionary<string, string> UserEmails { get; } = [];

    private static long Micros(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>A submitted window replaces the stored one with the same key when it is as late or later.</summary>
    public void Submit(Window w)
    {
        var key = (w.Ws, w.Project, Micros(w.From));
        // A later copy replaces; an older one, or one that would lower runs or nodes, is ignored. The copy
        // reported with an API key keeps the window on the license it was billed to.
        if (!_windows.TryGetValue(key, out var old)) _windows[key] = w;
        else if (w.To >= old.To && w.Runs >= old.Runs && w.Nodes >= old.Nodes) _windows[key] = w.License.Length > 0 ? w : w with { License = old.License };
    }

    /// <summary>The first transaction with an id counts; every later one is ignored.</summary>
    public void Ingest(Trace t) => _traces.TryAdd(t.Id, t);

    public IReadOnlyCollection<Window> Windows => _windows.Values;

    public List<Row> Answer(string kind, string groupBy, string? tier, DateTimeOffset start, DateTimeOffset end, ISet<string> workspaces)
    {
        var s = new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero);
        var e = end.UtcDateTime.TimeOfDay == TimeSpan.Zero ? end.ToUniversalTime() : new DateTimeOffset(end.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        int days = (int)(e - s).TotalDays;
        int stride = days <= 31 ? 1 : days <= 93 ? 7 : days <= 366 ? 30 : 365;

        // (bucket index, dimension, deduplication key) → the minutes covered
        var minutes = new Dictionary<(int, string, string), HashSet<long>>();
        // (bucket index, dimension) → totals
        var totals = new SortedDictionary<(int, string), long[]>(Comparer<(int, string)>.Create((a, b) =>
            a.Item1 != b.Item1 ? a.Item1.CompareTo(b.Item1) : string.CompareOrdinal(a.Item2, b.Item2)));

        void Add(DateOnly day, string dim, long traces, long nodes, long runs, long uptimeMicros)
        {
            var offset = day.DayNumber - DateOnly.FromDateTime(s.UtcDateTime).DayNumber;
            if (offset < 0 || offset >= days) return;
            var k = (offset / stride, dim);
            if (!totals.TryGetValue(k, out var t)) totals[k] = t = new long[4];
            t[0] += traces; t[1] += nodes; t[2] += runs; t[3] += uptimeMicros;
        }

        string Ws(string ws) => ws.Length == 0 ? DefaultWorkspace : ws;

        string Dim(string ws, string project, string user, string key, string license, bool? longLived) => groupBy switch
        {
            "workspace" => ws,
            "project" => project,
            "user" => user,
            "api_key" => key,
            "license" => license,
            _ => longLived == true ? "longlived" : "shortlived",
        };

        if (kind == "traces")
        {
            foreach (var t in _traces.Values.Select(t => t with { Ws = Ws(t.Ws) }).Where(t => workspaces.Contains(t.Ws)))
            {
                if (tier is not null && (tier == "longlived") != t.LongLived) continue;
                Add(DateOnly.FromDateTime(t.Start.UtcDateTime), Dim(t.Ws, t.Project, t.User, t.Key, "", t.LongLived), t.Count, 0, 0, 0);
            }
        }
        else
        {
            foreach (var w in _windows.Values.Select(w => w with { Ws = Ws(w.Ws) }).Where(w => workspaces.Contains(w.Ws)))
            {
                var dim = Dim(w.Ws, w.Project, w.User, w.Key, w.License, null);
                foreach (var (day, runs, nodes, uptime) in SplitByDay(w))
                    Add(day, dim, 0, nodes, runs, uptime);
                var dedupe = string.Join('|', w.Ws, w.Project, w.License, groupBy == "user" ? w.User : "", groupBy == "api_key" ? w.Key : "");
                foreach (var minute in MinutesOf(w))
                {
                    var offset = DateOnly.FromDateTime(DateTimeOffset.UnixEpoch.AddMinutes(minute).UtcDateTime).DayNumber - DateOnly.FromDateTime(s.UtcDateTime).DayNumber;
                    if (offset < 0 || offset >= days) continue;
                    var k = (offset / stride, dim, dedupe);
                    if (!minutes.TryGetValue(k, out var set)) minutes[k] = set = [];
                    set.Add(minute);
                }
            }
        }
        var standby = minutes.GroupBy(kv => (kv.Key.Item1, kv.Key.Item2)).ToDictionary(g => g.Key, g => (long)g.Sum(kv => kv.Value.Count));

        var rows = new List<Row>();
        foreach (var ((bucket, dim), t) in totals)
        {
            if (t.All(x => x == 0)) continue;
            string? name = groupBy switch
            {
                "workspace" => WorkspaceNames.GetValueOrDefault(dim),
                "project" => ProjectNames.GetValueOrDefault(dim),
                "user" => UserEmails.GetValueOrDefault(dim),
                _ => null,
            };
            rows.Add(new Row(s.AddDays(bucket * stride), dim.Length == 0 ? null : dim, string.IsNullOrEmpty(name) ? null : name,
                t[0], t[1], t[2], (t[3] + 500_000) / 1_000_000, standby.GetValueOrDefault((bucket, dim))));
        }
        return rows;
    }

    /// <summary>Every UTC minute (minutes since the epoch) that the window overlaps with positive length, checked one by one.</summary>
    public static IEnumerable<long> MinutesOf(Window w)
    {
        long from = Micros(w.From), to = Micros(w.To);
        for (long m = from / 60_000_000 - 1; m * 60_000_000 < to; m++)
            if (to > from && m * 60_000_000 < to && (m + 1) * 60_000_000 > from) yield return m;
    }

    /// <summary>Per UTC day: exact overlap; counts by largest remainder, ties to the earlier day.</summary>
    public static List<(DateOnly Day, long Runs, long Nodes, long UptimeMicros)> SplitByDay(Window w)
    {
        long from = Micros(w.From), to = Micros(w.To);
        const long day = 86_400_000_000;
        if (from == to) return [(DateOnly.FromDateTime(w.From.UtcDateTime), w.Runs, w.Nodes, 0)];
        var overlaps = new List<(DateOnly, long)>();
        for (long d = from - (((from % day) + day) % day); d < to; d += day)
        {
            long o = Math.Min(to, d + day) - Math.Max(from, d);
            if (o > 0) overlaps.Add((DateOnly.FromDateTime(DateTimeOffset.UnixEpoch.AddTicks(d * 10).UtcDateTime), o));
        }
        long[] Split(long count)
        {
            BigInteger total = to - from;
            var floor = overlaps.Select(o => (long)(count * (BigInteger)o.Item2 / total)).ToArray();
            var rem = overlaps.Select(o => count * (BigInteger)o.Item2 % total).ToArray();
            long left = count - floor.Sum();
            foreach (var i in Enumerable.Range(0, floor.Length).OrderByDescending(i => rem[i]).ThenBy(i => i).Take((int)left)) floor[i]++;
            return floor;
        }
        var runs = Split(w.Runs);
        var nodes = Split(w.Nodes);
        return [.. overlaps.Select((o, i) => (o.Item1, runs[i], nodes[i], o.Item2))];
    }

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
