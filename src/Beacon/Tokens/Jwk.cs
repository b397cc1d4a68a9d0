namespace Beacon.Tokens;

/// <summary>One public P-256 signing key as the JWKS publishes it (RFC 7517), members in this order.</summary>
internal sealed record Jwk(string Kty, string Crv, string X, string Y, string Kid, string Use, string Alg);
