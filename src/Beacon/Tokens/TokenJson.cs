using System.Text.Json.Serialization;

namespace Beacon.Tokens;

/// <summary>
/// The JSON inside tokens, receipts and the JWKS, generated at compile time (ADR 0001). Names are snake_case, as the
/// claims and JWK members are named; dictionary keys are written as they are.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(IReadOnlyList<QuotaView>))]
[JsonSerializable(typeof(ClaimQuota[]))]
[JsonSerializable(typeof(JwkSet))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(Dictionary<string, long>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
internal sealed partial class TokenJson : JsonSerializerContext;
