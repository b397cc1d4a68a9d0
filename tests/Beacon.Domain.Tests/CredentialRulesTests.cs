using Beacon.Domain.Credentials;

namespace Beacon.Domain.Tests;

public sealed class CredentialRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private static LicenseRecord License(LicenseStatus status = LicenseStatus.Active, DateTimeOffset? expires = null, string plan = "enterprise", int createdDaysAgo = 0) =>
        new("org", Guid.NewGuid().ToString(), plan, [], expires, status, Now.AddDays(-createdDaysAgo), "hash");

    [Fact]
    public void A_license_is_refused_when_suspended_revoked_or_expired_and_says_why()
    {
        Assert.Null(License().RefusalReason(Now));
        Assert.Null(License(expires: Now.AddSeconds(1)).RefusalReason(Now));
        Assert.Contains("expired", License(expires: Now).RefusalReason(Now), StringComparison.Ordinal);
        Assert.Contains("suspended", License(LicenseStatus.Suspended).RefusalReason(Now), StringComparison.Ordinal);
        Assert.Contains("revoked", License(LicenseStatus.Revoked, Now.AddDays(-1)).RefusalReason(Now), StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_never_outlives_its_license()
    {
        Assert.Equal(Now.AddHours(1), License().TokenExpiry(Now, TimeSpan.FromHours(1)));
        Assert.Equal(Now.AddMinutes(5), License(expires: Now.AddMinutes(5)).TokenExpiry(Now, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void The_orgs_plan_is_that_of_its_newest_usable_license()
    {
        var plans = new[] { License(plan: "developer", createdDaysAgo: 30), License(LicenseStatus.Suspended, plan: "enterprise"), License(plan: "plus", createdDaysAgo: 2) };
        Assert.Equal("plus", LicenseRecord.CurrentPlan(plans, Now));
        Assert.Null(LicenseRecord.CurrentPlan([License(LicenseStatus.Revoked)], Now));
    }

    [Fact]
    public void Secrets_are_hashed_compared_in_constant_time_and_shown_only_by_their_short_form()
    {
        var key = Secrets.NewApiKey();
        Assert.True(Secrets.HashMatches(key, Secrets.Hash(key)));
        Assert.False(Secrets.HashMatches(key + "x", Secrets.Hash(key)));
        Assert.StartsWith("lcl_", Secrets.NewLicenseKey(), StringComparison.Ordinal);
        Assert.Equal(key[..7] + "..." + key[^4..], Secrets.ShortKey(key));
        Assert.DoesNotContain(key[7..^4], Secrets.ShortKey(key), StringComparison.Ordinal);
    }
}
