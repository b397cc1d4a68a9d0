using System.Buffers.Binary;
using System.Globalization;

namespace Beacon.Domain.Telemetry;

/// <summary>
/// The metric series a license has sent in the last <see cref="TelemetryPolicy.SeriesDays"/> days, by a
/// 64-bit digest of the series key and the day it was last seen: what enforces
/// <see cref="TelemetryPolicy.MaxSeriesPerLicense"/> with one point read per export. At 12 bytes an entry,
/// 2,000 series fit one table property (24,000 bytes of its 65,536).
/// </summary>
public sealed class SeriesRegistry
{
    private const int EntryBytes = 12;
    private readonly Dictionary<ulong, int> _lastSeenDay = [];

    public int Count => _lastSeenDay.Count;

    public static SeriesRegistry Read(byte[]? stored)
    {
        var r = new SeriesRegistry();
        if (stored is null) return r;
        for (int i = 0; i + EntryBytes <= stored.Length; i += EntryBytes)
            r._lastSeenDay[BinaryPrimitives.ReadUInt64LittleEndian(stored.AsSpan(i))] = BinaryPrimitives.ReadInt32LittleEndian(stored.AsSpan(i + 8));
        return r;
    }

    public byte[] Write()
    {
        var bytes = new byte[_lastSeenDay.Count * EntryBytes];
        int i = 0;
        foreach (var (digest, day) in _lastSeenDay.OrderBy(e => e.Key))
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i), digest);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i + 8), day);
            i += EntryBytes;
        }
        return bytes;
    }

    /// <summary>
    /// Forgets series not seen within retention, then admits the given series: known ones always, new ones
    /// while there is room. Returns the series refused and whether the registry changed (needs writing).
    /// </summary>
    public (IReadOnlySet<string> Refused, bool Changed) Admit(IEnumerable<string> seriesKeys, DateOnly today)
    {
        int day = today.DayNumber;
        bool changed = false;
        foreach (var stale in _lastSeenDay.Where(e => e.Value < day - TelemetryPolicy.SeriesDays).Select(e => e.Key).ToList())
            changed |= _lastSeenDay.Remove(stale);
        var refused = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in seriesKeys.Distinct(StringComparer.Ordinal))
        {
            var digest = Digest(key);
            if (_lastSeenDay.TryGetValue(digest, out var seen))
            {
                if (seen < day) (_lastSeenDay[digest], changed) = (day, true);
            }
            else if (_lastSeenDay.Count < TelemetryPolicy.MaxSeriesPerLicense)
            {
                (_lastSeenDay[digest], changed) = (day, true);
            }
            else refused.Add(key);
        }
        return (refused, changed);
    }

    /// <summary>The first 16 hex digits of the key (itself a SHA-256 in hex).</summary>
    private static ulong Digest(string seriesKey) =>
        seriesKey.Length >= 16 && ulong.TryParse(seriesKey.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var d)
            ? d : (ulong)seriesKey.GetHashCode(StringComparison.Ordinal);
}
