namespace Beacon.Domain.Credentials;

/// <summary>A license as stored: never its key, only the key's hash.</summary>
public sealed record LicenseRecord(
    string OrgId,
    string LicenseId,
    string Plan,
    IReadOnlyList<string> Entitlements,
    DateTimeOffset? ExpiresAt,
    LicenseStatus Status,
    DateTimeOffset CreatedAt,
    string Hash)
{
    /// <summary>Monthly allowances to watch (SPEC §13); never enforced on reporting.</summary>
    public IReadOnlyList<Quotas.Quota> Quotas { get; init; } = [];

    /// <summary>Why the license cannot be used at <paramref name="now"/>, or null when it can.</summary>
    public string? RefusalReason(DateTimeOffset now) => Status switch
    {
        LicenseStatus.Suspended => "The license is suspended.",
        LicenseStatus.Revoked => "The license has been revoked.",
        _ when ExpiresAt is { } e && e <= now => "The license has expired.",
        _ => null,
    };

    /// <summary>A token never outlives its license: the earlier of the usual expiry and the license's.</summary>
    public DateTimeOffset TokenExpiry(DateTimeOffset now, TimeSpan lifetime) =>
        ExpiresAt is { } e && e < now + lifetime ? e : now + lifetime;

    /// <summary>The org's plan as far as API keys are concerned: that of its newest usable license.</summary>
    public static string? CurrentPlan(IEnumerable<LicenseRecord> licenses, DateTimeOffset now) =>
        licenses.Where(l => l.RefusalReason(now) is null).OrderByDescending(l => l.CreatedAt).Select(l => l.Plan).FirstOrDefault();
}
