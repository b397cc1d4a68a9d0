namespace Beacon.Domain.Credentials;

/// <summary>
/// When an offline license key may be issued and until when it is valid (SPEC §17). An offline key is
/// verified by the install alone, so it can never be suspended or revoked once handed out: it is issued
/// only for a license usable now, and never outlives the license.
/// </summary>
public static class OfflineKeyTerms
{
    /// <summary>
    /// The longest an offline key may be valid: the JWKS keeps every key that signed an unexpired offline key,
    /// so this also bounds how long a retired signing key stays published.
    /// </summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(5 * 366);

    /// <summary>
    /// The expiry an offline key for <paramref name="license"/> gets when <paramref name="requested"/> is asked
    /// at <paramref name="now"/>: the requested time, which may not be later than the license's own expiry
    /// (SPEC §17: a 400, not a silent cut, so the operator knows what the customer holds). Otherwise
    /// why it cannot be issued: <see cref="Refusal.BadExpiry"/> is the request's fault, <see cref="Refusal.NotUsable"/>
    /// the license's state.
    /// </summary>
    public static (DateTimeOffset ExpiresAt, Refusal? Refused, string? Reason) Decide(LicenseRecord license, DateTimeOffset requested, DateTimeOffset now)
    {
        if (license.RefusalReason(now) is { } why) return (default, Refusal.NotUsable, why + " An offline key is issued only for a usable license.");
        if (requested <= now) return (default, Refusal.BadExpiry, "must be in the future.");
        if (requested > now + MaxLifetime) return (default, Refusal.BadExpiry, $"must be within {MaxLifetime.TotalDays / 366:0} years; issue a new key before then.");
        if (license.ExpiresAt is { } e && requested > e)
            return (default, Refusal.BadExpiry, $"must not be later than the license's own expiry ({e.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}); extend the license first.");
        // Whole seconds: the JWT's exp is in seconds, and the answer must say exactly what the key says.
        return (DateTimeOffset.FromUnixTimeSeconds(requested.ToUnixTimeSeconds()), null, null);
    }

    public enum Refusal
    {
        BadExpiry,
        NotUsable,
    }
}
