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
    /// at <paramref name="now"/>: the requested time, or the license's expiry if that comes first. Otherwise
    /// why it cannot be issued: <see cref="Refusal.BadExpiry"/> is the request's fault, <see cref="Refusal.NotUsable"/>
    /// the license's state.
    /// </summary>
    public static (DateTimeOffset ExpiresAt, Refusal? Refused, string? Reason) Decide(LicenseRecord license, DateTimeOffset requested, DateTimeOffset now)
    {
        if (license.RefusalReason(now) is { } why) return (default, Refusal.NotUsable, why + " An offline key is issued only for a usable license.");
        if (requested <= now) return (default, Refusal.BadExpiry, "must be in the future.");
        if (requested > now + MaxLifetime) return (default, Refusal.BadExpiry, $"must be within {MaxLifetime.TotalDays / 366:0} years; issue a new key before then.");
        var expires = license.ExpiresAt is { } e && e < requested ? e : requested;
        // Whole seconds: the JWT's exp is in seconds, and the answer must say exactly what the key says.
        return (DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()), null, null);
    }

    public enum Refusal
    {
        BadExpiry,
        NotUsable,
    }
}
