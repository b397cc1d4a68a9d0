using System.Buffers.Text;
using System.Text;

namespace Beacon.Domain.Fleet;

/// <summary>
/// Where the next page of an operator listing starts (SPEC §15): the state section it is in and the last
/// key served. Opaque to clients (base64url), so the layout behind it can change; a cursor that does not
/// decode is the client's mistake (400), never a 500.
/// </summary>
public sealed record PageCursor(string Section, string After)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1_000;
    private const int MaxLength = 2_048;

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Section + "\n" + After));

    public static bool TryDecode(string? text, out PageCursor? cursor)
    {
        cursor = null;
        if (text is null) return true;
        if (text.Length is 0 or > MaxLength || !Base64Url.IsValid(text)) return false;
        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(text));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
        var cut = decoded.IndexOf('\n', StringComparison.Ordinal);
        if (cut <= 0 || cut == decoded.Length - 1 || decoded.AsSpan(cut + 1).ContainsAny('\n', '\0')) return false;
        cursor = new PageCursor(decoded[..cut], decoded[(cut + 1)..]);
        return true;
    }

    /// <summary>Parses <c>limit</c>: absent is <see cref="DefaultLimit"/>; otherwise a whole number from 1 to <see cref="MaxLimit"/>.</summary>
    public static bool TryParseLimit(string? text, out int limit)
    {
        limit = DefaultLimit;
        if (text is null) return true;
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit)
            && limit is >= 1 and <= MaxLimit;
    }
}
