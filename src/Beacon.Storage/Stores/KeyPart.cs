using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Beacon.Storage.Stores;

/// <summary>
/// Makes an identifier safe for a PartitionKey/RowKey segment. UUIDs and other short ids of
/// <c>[A-Za-z0-9._-]</c> are used as they are; anything else (a free-form project id, say) becomes
/// <c>~</c> + 32 hex digits of its SHA-256, which cannot collide with a plain id. The real value is
/// always stored in a property as well. <c>|</c> separates segments and never occurs inside one.
/// </summary>
public static partial class KeyPart
{
    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex Plain();

    public static string Of(string id)
    {
        if (id.Length == 0 || Plain().IsMatch(id)) return id;
        return "~" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..32];
    }
}
