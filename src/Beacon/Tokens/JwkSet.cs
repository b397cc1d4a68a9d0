namespace Beacon.Tokens;

/// <summary>The JWKS document: <c>{"keys":[…]}</c>.</summary>
internal sealed record JwkSet(IReadOnlyList<Jwk> Keys);
