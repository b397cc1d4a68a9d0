using System.Security.Cryptography;
using System.Text;

namespace Beacon.Domain.Credentials;

/// <summary>
/// License keys and API keys: 40 random base-62 characters behind a prefix (~238 bits), shown once at
/// creation and stored only as a SHA-256 hash. A fast hash is right here: the secrets are random, not
/// passwords, so there is nothing to brute-force. Hashes are compared in constant time.
/// </summary>
public static class Secrets
{
    /// <summary>The platform client treats any other prefix as an air-gapped license and never reports usage.</summary>
    public const string LicensePrefix = "lcl_";
    public const string ApiKeyPrefix = "bcn_ak_";

    /// <summary>The vendor's own keys for the operator API (SPEC §12); never valid on customer endpoints.</summary>
    public const string OperatorKeyPrefix = "bcn_op_";
    private const int RandomLength = 40;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string NewLicenseKey() => LicensePrefix + RandomNumberGenerator.GetString(Alphabet, RandomLength);

    public static string NewApiKey() => ApiKeyPrefix + RandomNumberGenerator.GetString(Alphabet, RandomLength);

    public static string NewOperatorKey() => OperatorKeyPrefix + RandomNumberGenerator.GetString(Alphabet, RandomLength);

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool HashMatches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    /// <summary>The non-secret display form of an API key: its prefix and last four characters.</summary>
    public static string ShortKey(string apiKey) => apiKey[..ApiKeyPrefix.Length] + "..." + apiKey[^4..];

    /// <summary>True when the text has the shape of a key Beacon issues: the prefix and 40 base-62 characters.</summary>
    public static bool IsWellFormed(string? secret, string prefix) =>
        secret is not null && secret.Length == prefix.Length + RandomLength && secret.StartsWith(prefix, StringComparison.Ordinal)
        && secret.AsSpan(prefix.Length).IndexOfAnyExcept(AlphabetValues) < 0;

    private static readonly System.Buffers.SearchValues<char> AlphabetValues = System.Buffers.SearchValues.Create(Alphabet);

    /// <summary>Bounds what is worth hashing: anything longer cannot be one of ours.</summary>
    public static bool IsPlausible(string? secret) => secret is { Length: > 8 and <= 200 };
}
