using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Beacon.Domain.Usage;

namespace Beacon.Domain.Meters;

/// <summary>
/// Every billed quantity, in one place (SPEC §14). Cells, rollups, the granular API, the CSV export,
/// statements, adjustments, quotas, the console and the dashboard all read this list; nothing else names a
/// meter. Adding a meter of an existing aggregation is one entry here (ADR 0013). The catalog checks its
/// entries when it is built, so a meter that no code can handle never reaches a request.
/// </summary>
public sealed partial class MeterCatalog
{
    private static readonly GranularField Traces = new("traces", 0) { CsvColumn = "Traces", Card = "Total Traces" };

    /// <summary>The window measures that are counts (SPEC §4.4): the only ones an apportioned sum may read.</summary>
    public static IReadOnlyList<string> CountedMeasures { get; } = [UsageReport.RunsMeasure, UsageReport.NodesMeasure];

    public static MeterCatalog Default { get; } = new(
    [
        new Meter("agent_runs", "runs", "Agent runs", Aggregation.ApportionedSum)
        {
            Measure = UsageReport.RunsMeasure,
            Granular = new GranularField("agent_runs", 1) { CsvColumn = "Agent Runs", Card = "Total Agent Runs" },
        },
        new Meter("nodes_executed", "nodes", "Nodes executed", Aggregation.ApportionedSum)
        {
            Measure = UsageReport.NodesMeasure,
            Granular = new GranularField("nodes_executed", 0) { CsvColumn = "Nodes Executed", Card = "Total Nodes Executed" },
        },
        new Meter("agent_uptime_seconds", "seconds", "Agent uptime (raw sum over replicas)", Aggregation.OverlapSeconds)
        {
            Granular = new GranularField("agent_uptime_seconds", 2) { CsvColumn = "Agent Uptime (seconds)", Card = "Total Agent Uptime" },
        },
        new Meter("standby_minutes", "minutes", "Standby minutes (replicas counted once)", Aggregation.DistinctMinuteSlots)
        {
            Granular = new GranularField("standby_minutes", 3) { NoteOn = "agent_uptime_seconds", NoteText = "standby minutes billed, replicas counted once" },
        },
        new Meter("traces_longlived", "traces", "Traces, long-lived", Aggregation.TraceCount) { Tier = TraceTier.Longlived, Granular = Traces, QuotaMetric = "traces" },
        new Meter("traces_shortlived", "traces", "Traces, short-lived", Aggregation.TraceCount) { Tier = TraceTier.Shortlived, Granular = Traces, QuotaMetric = "traces" },
    ]);

    private readonly Dictionary<string, Meter> _byName;
    private readonly Dictionary<(string Meter, MinuteScope? Scope), int> _slotIndex = [];
    private readonly Dictionary<UsageKind, IReadOnlyList<Meter>> _byKind;
    private readonly Dictionary<UsageKind, IReadOnlyList<GranularColumn>> _columns;

    public MeterCatalog(IEnumerable<Meter> meters)
    {
        Meters = [.. meters];
        Validate(Meters);
        _byName = Meters.ToDictionary(m => m.Name, StringComparer.Ordinal);
        var slots = new List<MeterSlot>();
        foreach (var m in Meters)
            foreach (var scope in m.Scopes)
            {
                _slotIndex[(m.Name, scope)] = slots.Count;
                slots.Add(new MeterSlot(m, scope));
            }
        Slots = slots;
        _byKind = Enum.GetValues<UsageKind>().ToDictionary(k => k, k => (IReadOnlyList<Meter>)[.. Meters.Where(m => m.Kind == k)]);
        _columns = Enum.GetValues<UsageKind>().ToDictionary(k => k, k => ColumnsOf(_byKind[k]));
        QuotaMetrics = [.. Meters.Select(m => m.Quota).Distinct(StringComparer.Ordinal)];
        // Hashed when first asked (by the rollup store): loading the crypto library costs start-up time.
        _fingerprint = new Lazy<string>(() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join(";", Slots.Select(s => $"{s.Column}={s.Meter.AggregationName}:{s.Meter.Measure}:{s.Meter.Tier}")))))[..16]);
    }

    private readonly Lazy<string> _fingerprint;

    /// <summary>The meters in statement-column order.</summary>
    public IReadOnlyList<Meter> Meters { get; }

    /// <summary>What every cell keeps, in order: one value per meter, three for a distinct-minute meter.</summary>
    public IReadOnlyList<MeterSlot> Slots { get; }

    /// <summary>The quota metrics, in catalog order (a quota sums the meters that name it).</summary>
    public IReadOnlyList<string> QuotaMetrics { get; }

    /// <summary>Changes whenever what a stored cell means changes (a meter added, removed or redefined).</summary>
    public string Fingerprint => _fingerprint.Value;

    /// <summary>This catalog and one more meter (tests use it; production adds entries to <see cref="Default"/>).</summary>
    public MeterCatalog With(Meter meter) => new([.. Meters, meter]);

    public Meter? Find(string? name) => name is not null && _byName.TryGetValue(name, out var m) ? m : null;

    public IReadOnlyList<Meter> MetersOf(UsageKind kind) => _byKind[kind];

    /// <summary>The fields of a granular usage record of <paramref name="kind"/>, in the order a record shows them.</summary>
    public IReadOnlyList<GranularColumn> GranularColumns(UsageKind kind) => _columns[kind];

    /// <summary>The slot of <paramref name="meter"/> for a query that deduplicates distinct minutes over <paramref name="scope"/>.</summary>
    public int SlotOf(Meter meter, MinuteScope scope) =>
        _slotIndex.TryGetValue((meter.Name, scope), out var i) ? i : _slotIndex[(meter.Name, null)];

    public MeterValues Zero() => MeterValues.Zero(Slots.Count);

    /// <summary>The meters that count towards <paramref name="quotaMetric"/>.</summary>
    public IEnumerable<Meter> MetersOfQuota(string quotaMetric) => Meters.Where(m => m.Quota == quotaMetric);

    private static IReadOnlyList<GranularColumn> ColumnsOf(IReadOnlyList<Meter> meters) =>
        [.. meters.Select((m, i) => (m, i)).Where(x => x.m.Granular is not null)
            .GroupBy(x => x.m.Granular!.Name, StringComparer.Ordinal)
            .Select(g => new GranularColumn(g.First().m.Granular!, [.. g.Select(x => x.i)]))
            .OrderBy(c => c.Field.Order)];

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex WireName();

    /// <summary>Refuses a catalog that some code could not handle or that would store ambiguous columns.</summary>
    private static void Validate(IReadOnlyList<Meter> meters)
    {
        if (meters.Count == 0) throw new ArgumentException("A meter catalog needs at least one meter.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in meters)
        {
            string Bad(string why) => $"Meter '{m.Name}': {why}";
            if (!Enum.IsDefined(m.Aggregation))
                throw new ArgumentException(Bad($"aggregation {(int)m.Aggregation} is not one this code handles ({string.Join(", ", Enum.GetNames<Aggregation>())})."));
            if (!WireName().IsMatch(m.Name) || m.Name.Contains("__", StringComparison.Ordinal)) throw new ArgumentException(Bad("a name is lower-case letters, digits and single underscores."));
            if (!names.Add(m.Name)) throw new ArgumentException(Bad("the name is used twice."));
            if (!WireName().IsMatch(m.Quota)) throw new ArgumentException(Bad($"quota metric '{m.Quota}' is not a valid name."));
            if ((m.Aggregation == Aggregation.ApportionedSum) != (m.Measure is not null))
                throw new ArgumentException(Bad("an apportioned sum names the measure it counts, and only an apportioned sum does."));
            if (m.Measure is { } measure && !CountedMeasures.Contains(measure))
                throw new ArgumentException(Bad($"'{measure}' is not a counted window measure ({string.Join(", ", CountedMeasures)})."));
            if ((m.Aggregation == Aggregation.TraceCount) != (m.Tier is not null))
                throw new ArgumentException(Bad("a trace count names the tier it counts, and only a trace count does."));
            if (m.Tier is { } tier && !Enum.IsDefined(tier)) throw new ArgumentException(Bad("unknown trace tier."));
        }
        foreach (var kind in Enum.GetValues<UsageKind>())
        {
            var fields = meters.Where(m => m.Kind == kind && m.Granular is not null).Select(m => m.Granular!).ToList();
            foreach (var g in fields.GroupBy(f => f.Name, StringComparer.Ordinal))
                if (g.Distinct().Count() > 1) throw new ArgumentException($"Granular field '{g.Key}' is defined differently by meters that share it.");
            var distinct = fields.Distinct().ToList();
            if (distinct.Select(f => f.Order).Distinct().Count() != distinct.Count) throw new ArgumentException($"Two granular fields of {UsageNames.Of(kind)} have the same order.");
            if (distinct.Where(f => f.CsvColumn is not null).GroupBy(f => f.CsvColumn).Any(g => g.Count() > 1)) throw new ArgumentException($"Two fields of {UsageNames.Of(kind)} export the same CSV column.");
            foreach (var f in distinct.Where(f => f.NoteOn is not null))
            {
                if (!distinct.Any(o => o.Name == f.NoteOn && o.Card is not null)) throw new ArgumentException($"Field '{f.Name}' is a note on '{f.NoteOn}', which has no card.");
                if (string.IsNullOrWhiteSpace(f.NoteText)) throw new ArgumentException($"Field '{f.Name}' is a note on '{f.NoteOn}' without the note's text.");
            }
        }
    }
}
