using System.Security.Cryptography;
using System.Text.Json;
using Beacon.Storage.Stores;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Tokens;

/// <summary>
/// The ES256 keys that sign license tokens. Every saved key is published in the JWKS; the newest key
/// whose activation time has come signs. A rotation saves a new key that activates only after
/// <see cref="PublishLead"/> — longer than an instance takes to re-read the keys plus the time a
/// verifier may cache the JWKS — so no token is ever signed by a key a verifier cannot find yet. The
/// two keys before it stay published, so tokens signed before a rotation verify until they expire.
/// A key that signed an offline license key stays published until that key expires (SPEC §17), without
/// its private part once it leaves the three.
/// </summary>
public sealed class SigningKeyRing(SigningKeyStore store, TimeProvider time, ILogger<SigningKeyRing> logger) : IDisposable
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromMinutes(5);

    /// <summary>The JWKS answer's <c>max-age</c>: how long a verifier may keep an old key set.</summary>
    public static readonly TimeSpan JwksMaxAge = TimeSpan.FromMinutes(5);

    /// <summary>How long a new key is published before it signs.</summary>
    public static readonly TimeSpan PublishLead = RefreshEvery + JwksMaxAge + TimeSpan.FromMinutes(1);

    private const int KeysKept = 3;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private State? _state;

    private sealed record State(IReadOnlyList<(DateTimeOffset SignsFrom, ECDsaSecurityKey Key)> Signers, string JwksJson, DateTimeOffset LoadedAt);

    public void Dispose() => _gate.Dispose();

    /// <summary>The newest key already active (keys are newest first; the oldest signs if none is, which only a clock step back can cause).</summary>
    public async Task<ECDsaSecurityKey> GetSigningKeyAsync(CancellationToken ct)
    {
        var signers = (await GetStateAsync(ct)).Signers;
        var now = time.GetUtcNow();
        return signers.FirstOrDefault(s => s.SignsFrom <= now).Key ?? signers[^1].Key;
    }

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
            var key = Generate(activatesAt: null); // the first key: nothing published before it to wait for
            if (await store.TrySaveAsync([key], loaded?.ETag, ct))
            {
                logger.LogInformation("Created the first token signing key {Kid}", key.Kid);
                return [key];
            }
            // Another instance created keys at the same moment: read theirs.
        }
    }

    /// <summary>
    /// Saves a new key, published now and signing after <see cref="PublishLead"/>; the keys before it stay
    /// published. The key is generated once: when a save committed but its answer was lost (the retry
    /// meets 412), the reload finds it and the rotation is not made twice — a second one would push out
    /// a key that still signs live tokens.
    /// </summary>
    public async Task<string> RotateAsync(CancellationToken ct)
    {
        var key = Generate(activatesAt: time.GetUtcNow() + PublishLead);
        while (true)
        {
            var loaded = await store.LoadAsync(ct);
            if (loaded is { } l && l.Keys.Any(k => k.Kid == key.Kid))
            {
                _state = Build(l.Keys);
                return key.Kid;
            }
            var keys = new List<SigningKeyMaterial> { key };
            if (loaded is { } existing) keys.AddRange(Kept(existing.Keys));
            if (await store.TrySaveAsync(keys, loaded?.ETag, ct))
            {
                _state = Build(keys);
                logger.LogInformation("Rotated the token signing key: {Kid} signs from {ActivatesAt:O}", key.Kid, key.ActivatesAt);
                return key.Kid;
            }
        }
    }

    /// <summary>
    /// The keys a rotation keeps besides the new one: the two newest, and any older one still needed to verify
    /// an unexpired offline key (published only: its private part is dropped).
    /// </summary>
    private IEnumerable<SigningKeyMaterial> Kept(IReadOnlyList<SigningKeyMaterial> existing)
    {
        var now = time.GetUtcNow();
        // The key that signs now stays whole however many rotations come before the next one activates:
        // without it, the ring would sign with a key published less than PublishLead ago.
        var signer = SignerOf(existing, now)?.Kid;
        return existing.Take(KeysKept - 1).Concat(existing.Skip(KeysKept - 1)
            .Where(k => k.Kid == signer || k.KeepUntil > now)
            .Select(k => k.Kid == signer ? k : k with { D = "" }));
    }

    /// <summary>The key that signs at <paramref name="now"/>: the newest active one, or the oldest that can sign if none is active yet.</summary>
    private static SigningKeyMaterial? SignerOf(IEnumerable<SigningKeyMaterial> keys, DateTimeOffset now)
    {
        var able = keys.Where(k => k.CanSign).OrderByDescending(k => k.SignsFrom).ToList();
        return able.FirstOrDefault(k => k.SignsFrom <= now) ?? able.LastOrDefault();
    }

    /// <summary>
    /// Signs an offline license key with the key that signs now, after recording in the key set that this key
    /// must stay published until <paramref name="expiresAt"/> (so a verifier holding only the JWKS can check
    /// it for its whole life). The record is saved before the signature exists: a crash in between leaves a key
    /// published longer than needed, never an offline key nobody can verify.
    /// </summary>
    public async Task<(string Token, string Kid)> SignOfflineAsync(Func<ECDsaSecurityKey, string> sign, DateTimeOffset expiresAt, CancellationToken ct)
    {
        while (true)
        {
            if (await store.LoadAsync(ct) is not { Keys.Count: > 0 } l)
            {
                await LoadOrCreateAsync(ct); // no key yet: the first one is created as for online tokens
                continue;
            }
            var keys = l.Keys.ToList();
            var now = time.GetUtcNow();
            var signer = SignerOf(keys, now)!;
            if (!(signer.KeepUntil >= expiresAt))
            {
                keys[keys.IndexOf(signer)] = signer with { KeepUntil = expiresAt };
                if (!await store.TrySaveAsync(keys, l.ETag, ct)) continue; // changed meanwhile (a rotation): decide again
            }
            var state = _state = Build(keys);
            var key = state.Signers.First(s => s.Key.KeyId == signer.Kid).Key;
            return (sign(key), signer.Kid);
        }
    }

    private SigningKeyMaterial Generate(DateTimeOffset? activatesAt)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ecdsa.ExportParameters(includePrivateParameters: true);
        var x = Base64UrlEncoder.Encode(p.Q.X);
        var y = Base64UrlEncoder.Encode(p.Q.Y);
        // RFC 7638 thumbprint as the key id: stable, derived from the public key only.
        var thumbprint = Base64UrlEncoder.Encode(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["crv"] = "P-256", ["kty"] = "EC", ["x"] = x, ["y"] = y,
        }, TokenJson.Default.SortedDictionaryStringString)));
        return new SigningKeyMaterial(thumbprint, time.GetUtcNow(), Base64UrlEncoder.Encode(p.D), x, y, activatesAt);
    }

    private State Build(IReadOnlyList<SigningKeyMaterial> keys)
    {
        var signers = keys.Where(k => k.CanSign).OrderByDescending(k => k.SignsFrom).Select(k => (k.SignsFrom, new ECDsaSecurityKey(ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = Base64UrlEncoder.DecodeBytes(k.D),
            Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(k.X), Y = Base64UrlEncoder.DecodeBytes(k.Y) },
        })) { KeyId = k.Kid })).ToList();
        var jwks = JsonSerializer.Serialize(new JwkSet([.. keys.Select(k => new Jwk("EC", "P-256", k.X, k.Y, k.Kid, "sig", "ES256"))]), TokenJson.Default.JwkSet);
        return new State(signers, jwks, time.GetUtcNow());
    }
}
