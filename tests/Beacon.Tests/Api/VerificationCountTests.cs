using System.Net;
using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Api;

/// <summary>Every verification is counted per license and UTC day, accepted and refused apart (SPEC §4.1).</summary>
[Collection(CalendarCollection.Name)]
public sealed class VerificationCountTests(NoFleetWriterFixture f) : IDisposable
{
    private VerificationStore Store => f.Services.GetRequiredService<VerificationStore>();

    public void Dispose()
    {
        f.Faults.Set(null);
        f.Clock.Reset();
    }

    private Task<HttpResponseMessage> VerifyAsync(string key) => f.PostJsonAsync("/v1/beacon/verify", $$"""{"license":"{{key}}"}""");

    [Fact]
    public async Task Verifications_are_counted_per_day_with_refused_ones_apart()
    {
        var org = await f.NewOrgAsync();
        var today = DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime);
        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(org.LicenseKey)).StatusCode);
        await f.Services.GetRequiredService<CredentialStore>().SetLicenseStatusAsync(org.OrgId, org.LicenseId, LicenseStatus.Suspended);
        using var afterTheCache = f.Clock.ShiftFor(TimeSpan.FromSeconds(2)); // past the test app's credential cache (1 s, by its clock)
        for (int i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Forbidden, (await VerifyAsync(org.LicenseKey)).StatusCode);
        // A key nobody issued cannot be counted on any license.
        Assert.Equal(HttpStatusCode.Unauthorized, (await VerifyAsync("lcl_" + new string('z', 40))).StatusCode);

        var counts = await Store.CountDayAsync(org.LicenseId, today);
        Assert.Equal((3L, 2L), (counts.Accepted, counts.Refused));
        Assert.True(counts.LastVerifiedAt > f.Clock.GetUtcNow().AddMinutes(-1));

        // The next UTC day starts a new count; a range adds the days up.
        await f.Services.GetRequiredService<CredentialStore>().SetLicenseStatusAsync(org.OrgId, org.LicenseId, LicenseStatus.Active);
        f.Clock.Shift(TimeSpan.FromDays(1));
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(org.LicenseKey)).StatusCode);
        Assert.Equal((1L, 0L), ((await Store.CountDayAsync(org.LicenseId, today.AddDays(1))).Accepted, (await Store.CountDayAsync(org.LicenseId, today.AddDays(1))).Refused));
        var both = await Store.CountAsync(org.LicenseId, today, today.AddDays(1));
        Assert.Equal((4L, 2L), (both.Accepted, both.Refused));
    }

    [Fact]
    public async Task Concurrent_verifications_and_lost_answers_never_lose_or_double_a_count()
    {
        var org = await f.NewOrgAsync();
        // Every third count write commits and loses its answer (once per request: the SDK's retry of it
        // gets through, so each verification is answered and the question is only whether it counts once).
        int writes = 0;
        var lostOnce = new System.Collections.Concurrent.ConcurrentDictionary<Azure.Core.Request, bool>(ReferenceEqualityComparer.Instance);
        f.Faults.Set(r => r.Uri.ToUri().AbsolutePath.Contains("/Verifications", StringComparison.Ordinal) && r.Method.Method is "PUT" or "POST"
                          && Interlocked.Increment(ref writes) % 3 == 0 && lostOnce.TryAdd(r, true)
            ? FaultInjectingTransport.Fault.CommitUnknown : FaultInjectingTransport.Fault.None);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => VerifyAsync(org.LicenseKey)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.True(lostOnce.Count >= 3, $"only {lostOnce.Count} answers lost");
        Assert.Equal(20, (await Store.CountDayAsync(org.LicenseId, DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime))).Accepted);
    }
}
