namespace Beacon.Storage.Stores;

/// <summary>A license's verifications over some days: accepted and refused apart, and the last one's time.</summary>
public sealed record VerificationCounts(long Accepted, long Refused, DateTimeOffset? LastVerifiedAt)
{
    public static VerificationCounts None { get; } = new(0, 0, null);
}
