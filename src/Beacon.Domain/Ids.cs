namespace Beacon.Domain;

/// <summary>Canonical forms of the identifiers that end up in storage keys and query filters.</summary>
public static class Ids
{
    /// <summary>UUIDs are compared case-insensitively by the platform; store them lower-case, hyphenated.</summary>
    public static bool TryNormalizeUuid(string? text, out string normalized)
    {
        normalized = "";
        if (text is null || !Guid.TryParseExact(text.Trim(), "D", out var g)) return false;
        normalized = g.ToString("D");
        return true;
    }

    public static string NewId() => Guid.NewGuid().ToString("D");

    /// <summary>Free-form ids (a project id that is not a UUID) must be printable and bounded.</summary>
    public static bool IsAcceptableFreeFormId(string text, int maxLength = 256) =>
        text.Length <= maxLength && !text.Any(char.IsControl);

    /// <summary>Project ids: a UUID in canonical form, otherwise the printable string as sent.</summary>
    public static bool TryNormalizeProjectId(string? text, out string normalized)
    {
        normalized = "";
        if (string.IsNullOrEmpty(text)) return true;
        if (TryNormalizeUuid(text, out normalized)) return true;
        normalized = text;
        return IsAcceptableFreeFormId(text);
    }
}
