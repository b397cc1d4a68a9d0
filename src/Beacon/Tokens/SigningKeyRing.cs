using System.Security.Cryptography;
using System.Text.Json;
using Beacon.Storage.Stores;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Tokens;

/// <summary>
/// The ES256 keys that sign license tokens: the current key signs, the current and previous keys are
/// published as the JWKS, so tokens signed before a rotation verify until they expire. Keys are
/// created on first start if none exist and re-read every few minutes so a rotation made with the
/// CLI reaches running instances.
/// </summary>
public sealed class SigningKeyRing(SigningKeyStore store, TimeProvider time, ILogger<SigningKeyRing> logger) : IDisposable
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private State? _state;

    private sealed record State(ECDsaSecurityKey Current, string JwksJson, DateTimeOffset LoadedAt);

    public void Dispose() => _gate.Dispose();

    public async Task<ECDsaSecurityKey> GetSigningKeyAsync(CancellationToken ct) => (await GetStateAsync(ct)).Current;

    public async Task<string> GetJwksJsonAsync(CancellationToken ct) => (await GetStateAsync(ct)).JwksJson;

    private async Task<State> GetStateAsync(CancellationToken ct)
    {
        var s = _state;
        if (s is not null && time.GetUtcNow() - s.LoadedAt < RefreshEvery) return s;
        await _gate.WaitAsync(ct);
        try
        {
            s = _state;
            if (s is not null && time.GetUtcNow() - s.LoadedAt < RefreshEvery) return s;
            var keys = await LoadOrCreateAsync(ct);
            return _state = Build(keys);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<SigningKeyMaterial>> LoadOrCreateAsync(CancellationToken ct)
    {
        while (true)
        {
            var loaded = await store.LoadAsync(ct);
            if (loaded is { Keys.Count: > 0 } l) return l.Keys;
            var key = Generate();
            if (await store.TrySaveAsync([key], loaded?.ETag, ct))
            {
                logger.LogInformation("Created the first token signing key {Kid}", key.Kid);
                return [key];
            }
            // Another instance created keys at the same moment: read theirs.
        }
    }

    /// <summary>Makes a new current key; the old current key stays published as the previous one.</summary>
    public async Task<string> RotateAsync(CancellationToken ct)
    {
        while (true)
        {
            var loaded = await store.LoadAsync(ct);
            var key = Generate();
            var keys = new List<SigningKeyMaterial> { key };
            if (loaded is { } l) keys.AddRange(l.Keys.Take(1));
            if (await store.TrySaveAsync(keys, loaded?.ETag, ct))
            {
                _state = Build(keys);
                return key.Kid;
            }
        }
    }

    private SigningKeyMaterial Generate()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ecdsa.ExportParameters(includePrivateParameters: true);
        var x = Base64UrlEncoder.Encode(p.Q.X);
        var y = Base64UrlEncoder.Encode(p.Q.Y);
        // RFC 7638 thumbprint as the key id: stable, derived from the public key only.
        var thumbprint = Base64UrlEncoder.Encode(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["crv"] = "P-256", ["kty"] = "EC", ["x"] = x, ["y"] = y,
        })));
        return new SigningKeyMaterial(thumbprint, time.GetUtcNow(), Base64UrlEncoder.Encode(p.D), x, y);
    }

    private State Build(IReadOnlyList<SigningKeyMaterial> keys)
    {
        var current = keys[0];
        var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = Base64UrlEncoder.DecodeBytes(current.D),
            Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(current.X), Y = Base64UrlEncoder.DecodeBytes(current.Y) },
        });
        var jwks = JsonSerializer.Serialize(new
        {
            keys = keys.Select(k => new { kty = "EC", crv = "P-256", x = k.X, y = k.Y, kid = k.Kid, use = "sig", alg = "ES256" }),
        });
        return new State(new ECDsaSecurityKey(ecdsa) { KeyId = current.Kid }, jwks, time.GetUtcNow());
    }
}
