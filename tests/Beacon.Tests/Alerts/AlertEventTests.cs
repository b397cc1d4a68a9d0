using System.Net;
using System.Text.Json;
using Beacon.Alerts;
using Beacon.Domain.Credentials;
using Beacon.Domain.Quotas;
using Beacon.Storage.Stores;
using Beacon.Tests.Reports;
using Beacon.Tests.Statements;
using Beacon.Tests.Vendor;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Alerts;

/// <summary>
/// Each event type of SPEC §18 reaches a verifying receiver once, with its documented <c>data</c>, when its
/// condition first holds — on a controllable clock — and two instances evaluating at once, or a restart
/// between evaluation and delivery, neither duplicate nor lose one.
/// </summary>
[Collection(AlertsCollection.Name)]
public sealed class AlertEventTests(BeaconFixture f)
{
    private Task<AlertsReport> RunAlertsAsync(IServiceProvider? services = null) => (services ?? f.Services).GetRequiredService<AlertsRun>().RunAsync();

    /// <summary>An endpoint for every event type at a new receiver; the receiver and the endpoint's id.</summary>
    private async Task<(WebhookReceiver Receiver, string Id, string Key)> SubscribeAsync(string name)
    {
        var key = await Operators.NewKeyAsync(f, "ops-" + name);
        var receiver = await WebhookReceiver.StartAsync();
        await receiver.ClockAsync(f.Clock.GetUtcNow());
        var response = await Operators.SendAsync(f.Http, HttpMethod.Post, "/api/v1/operator/webhooks", key, new { url = receiver.Url(name), events = Array.Empty<string>() });
        var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        await receiver.SecretAsync(name, created.GetProperty("secret").GetString()!);
        return (receiver, created.GetProperty("id").GetString()!, key);
    }

    /// <summary>The verified events the receiver got whose data names <paramref name="field"/> = <paramref name="value"/>, as (type, data).</summary>
    private static List<(string Type, JsonElement Data, string Id)> Events(WebhookReceiver receiver, string name, string field, string value)
    {
        var requests = receiver.Requests("/hook/" + name);
        Assert.All(requests, r => Assert.True(r.GetProperty("verified").GetBoolean(), r.ToString()));
        return [.. requests.Select(r => r.GetProperty("event"))
            .Where(e => e.GetProperty("data").TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() == value)
            .Select(e => (e.GetProperty("type").GetString()!, e.GetProperty("data"), ""))];
    }

    [Fact]
    public async Task License_actions_statement_close_adjustments_and_usage_reports_are_each_delivered_once_with_their_data()
    {
        var (receiver, endpoint, key) = await SubscribeAsync("actions");
        await using var _ = receiver;
        var org = await f.NewOrgAsync();
        foreach (var action in new[] { "suspend", "suspend", "activate", "revoke" }) // the second suspend changes nothing: no event
            Assert.Equal(HttpStatusCode.OK, (await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/licenses/{org.LicenseId}/{action}", key, new { })).StatusCode);
        var month = StatementDataset.MonthsBack(f, 2);
        var day = month.FirstDay.AddDays(3);
        await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, org.LicenseId, SelfReportedBillingTests.File((day, "p-1", 30, 10, 3601))));
        Assert.Equal(HttpStatusCode.OK, (await Operators.SendAsync(f.Http, HttpMethod.Post, $"/api/v1/operator/statements/{month}/close", key, new { })).StatusCode);
        // Late usage for the closed month: an adjustment recorded by Beacon itself.
        await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, org.LicenseId, SelfReportedBillingTests.File((day, "p-1", 30, 17, 3601))));
        var manual = await Operators.SendAsync(f.Http, HttpMethod.Post, "/api/v1/operator/adjustments", key,
            new { org_id = org.OrgId, license_id = org.LicenseId, metric = "agent_runs", delta = -3, for_month = month.ToString(), reason = "Goodwill credit" });
        Assert.Equal(HttpStatusCode.Created, manual.StatusCode);
        await RunAlertsAsync();
        await RunAlertsAsync(); // nothing twice

        var license = Events(receiver, "actions", "license_id", org.LicenseId);
        Assert.Equal(["license.suspended", "license.activated", "license.revoked"], license.Where(e => e.Type.StartsWith("license.", StringComparison.Ordinal)).Select(e => e.Type));
        var suspended = license.First(e => e.Type == "license.suspended").Data;
        Assert.Equal(["expires_at", "license_id", "org_id", "status"], suspended.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal((org.OrgId, "suspended"), (suspended.GetProperty("org_id").GetString(), suspended.GetProperty("status").GetString()));

        var reports = license.Where(e => e.Type == "usage_report.accepted").Select(e => e.Data).ToList();
        Assert.Equal(2, reports.Count);
        Assert.Equal(["days", "license_id", "previous_sha256", "report_id", "sha256", "totals"], reports[0].EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(reports[0].GetProperty("sha256").GetString(), reports[1].GetProperty("previous_sha256").GetString());

        var adjustments = license.Where(e => e.Type == "adjustment.recorded").Select(e => e.Data).ToList();
        Assert.Equal([("agent_runs", 7L, "late usage", "beacon", "self_reported"), ("agent_runs", -3L, "Goodwill credit", "ops-actions", "metered")],
            adjustments.Select(a => (a.GetProperty("metric").GetString()!, a.GetProperty("delta").GetInt64(), a.GetProperty("reason").GetString()!, a.GetProperty("actor").GetString()!, a.GetProperty("source").GetString()!)));
        Assert.All(adjustments, a => Assert.Equal(month.ToString(), a.GetProperty("for_month").GetString()));

        var closed = receiver.Requests("/hook/actions").Select(r => r.GetProperty("event")).Where(e => e.GetProperty("type").GetString() == "statement.closed"
            && e.GetProperty("data").GetProperty("month").GetString() == month.ToString()).ToList();
        var close = Assert.Single(closed).GetProperty("data");
        Assert.True(close.GetProperty("lines").GetInt32() >= 1);
        Assert.Equal(JsonValueKind.String, close.GetProperty("closed_at").ValueKind);
        await Operators.SendAsync(f.Http, HttpMethod.Delete, $"/api/v1/operator/webhooks/{endpoint}", key);
    }

    [Fact]
    public async Task A_quota_crossing_80_then_100_percent_is_announced_once_each_and_a_jump_past_both_sends_warning_then_exceeded()
    {
        var (receiver, endpoint, key) = await SubscribeAsync("quotas");
        await using var _ = receiver;
        var org = await f.NewOrgAsync();
        var credentials = f.Services.GetRequiredService<CredentialStore>();
        var (_, gradual) = await credentials.CreateLicenseAsync(org.OrgId, "enterprise", null, ["lgp"], [new Quota("agent_runs", 100)]);
        var (_, sudden) = await credentials.CreateLicenseAsync(org.OrgId, "enterprise", null, ["lgp"], [new Quota("agent_runs", 100)]);
        var today = DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime);

        await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, gradual.LicenseId, SelfReportedBillingTests.File((today, "p-1", 0, 85, 0))));
        await RunAlertsAsync();
        await RunAlertsAsync();
        Assert.Equal(["quota.warning"], Events(receiver, "quotas", "license_id", gradual.LicenseId).Where(e => e.Type.StartsWith("quota", StringComparison.Ordinal)).Select(e => e.Type));
        await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, gradual.LicenseId, SelfReportedBillingTests.File((today, "p-1", 0, 120, 0))));
        await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, sudden.LicenseId, SelfReportedBillingTests.File((today, "p-1", 0, 150, 0))));
        await RunAlertsAsync();
        await RunAlertsAsync();

        var events = Events(receiver, "quotas", "license_id", gradual.LicenseId).Where(e => e.Type.StartsWith("quota", StringComparison.Ordinal)).ToList();
        Assert.Equal(["quota.warning", "quota.exceeded"], events.Select(e => e.Type));
        var exceeded = events[1].Data;
        Assert.Equal(["license_id", "limit", "metric", "month", "org_id", "percent", "state", "used"], exceeded.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(("agent_runs", 100L, 120L, "exceeded"), (exceeded.GetProperty("metric").GetString(), exceeded.GetProperty("limit").GetInt64(),
            exceeded.GetProperty("used").GetInt64(), exceeded.GetProperty("state").GetString()));
        Assert.Equal(["quota.warning", "quota.exceeded"], Events(receiver, "quotas", "license_id", sudden.LicenseId).Where(e => e.Type.StartsWith("quota", StringComparison.Ordinal)).Select(e => e.Type));
        await Operators.SendAsync(f.Http, HttpMethod.Delete, $"/api/v1/operator/webhooks/{endpoint}", key);
    }

    [Fact]
    public async Task A_license_is_announced_14_and_3_days_before_it_expires_and_once_expired()
    {
        var (receiver, endpoint, key) = await SubscribeAsync("expiry");
        await using var _ = receiver;
        var org = await f.NewOrgAsync();
        var now = f.Clock.GetUtcNow();
        var expires = now.AddDays(20);
        var (_, license) = await f.Services.GetRequiredService<CredentialStore>().CreateLicenseAsync(org.OrgId, "enterprise", expires, ["lgp"]);
        List<string> Types() => [.. Events(receiver, "expiry", "license_id", license.LicenseId).Select(e => e.Type)];
        try
        {
            foreach (var (at, expected) in new[]
            {
                (expires.AddDays(-14).AddMinutes(-1), Array.Empty<string>()),
                (expires.AddDays(-14).AddMinutes(1), ["license.expiring"]),
                (expires.AddDays(-3).AddMinutes(-1), ["license.expiring"]),
                (expires.AddDays(-3).AddMinutes(1), ["license.expiring", "license.expiring"]),
                (expires.AddMinutes(1), ["license.expiring", "license.expiring", "license.expired"]),
                (expires.AddDays(2), ["license.expiring", "license.expiring", "license.expired"]),
            })
            {
                f.Clock.Freeze(at);
                await receiver.ClockAsync(at);
                await RunAlertsAsync();
                Assert.Equal(expected, Types());
            }
        }
        finally
        {
            f.Clock.Reset();
        }
        var events = Events(receiver, "expiry", "license_id", license.LicenseId);
        Assert.Equal([14, 3], events.Take(2).Select(e => e.Data.GetProperty("days_before").GetInt32()));
        Assert.Equal(("expired", expires.ToUnixTimeSeconds()), (events[2].Data.GetProperty("status").GetString(), events[2].Data.GetProperty("expires_at").GetDateTimeOffset().ToUnixTimeSeconds()));
        await Operators.SendAsync(f.Http, HttpMethod.Delete, $"/api/v1/operator/webhooks/{endpoint}", key);
    }

    [Fact]
    public async Task A_deployment_that_stops_reporting_is_announced_silent_after_661_s_and_resumed_when_it_reports_again()
    {
        var (receiver, endpoint, key) = await SubscribeAsync("fleet");
        await using var _ = receiver;
        var org = await f.NewOrgAsync();
        var t = f.Clock.GetUtcNow();
        await Operators.SubmitAsync(f, org.LicenseKey, t.AddMinutes(-5), t, 3, org.WorkspaceA, "watched");
        await Operators.EventuallyAsync(() => Operators.DeploymentsAsync(f, key, org.OrgId), l => l.Count == 1);
        List<string> Types() => [.. Events(receiver, "fleet", "org_id", org.OrgId).Select(e => e.Type)];

        using (f.Clock.ShiftFor(TimeSpan.FromSeconds(681)))
        {
            await receiver.ClockAsync(f.Clock.GetUtcNow());
            var silent = await Operators.EventuallyAsync(async () => { await RunAlertsAsync(); return Types(); }, l => l.Count > 0);
            Assert.Equal(["deployment.silent"], silent);
            var data = Events(receiver, "fleet", "org_id", org.OrgId)[0].Data;
            Assert.Equal(["last_report_at", "license_id", "org_id", "project_id", "workspace_id"], data.EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal((org.LicenseId, org.WorkspaceA, "watched"), (data.GetProperty("license_id").GetString(), data.GetProperty("workspace_id").GetString(), data.GetProperty("project_id").GetString()));

            await Operators.SubmitAsync(f, org.LicenseKey, t, f.Clock.GetUtcNow().AddSeconds(-1), 5, org.WorkspaceA, "watched");
            var resumed = await Operators.EventuallyAsync(async () => { await RunAlertsAsync(); return Types(); }, l => l.Count > 1);
            Assert.Equal(["deployment.silent", "deployment.resumed"], resumed);
            await RunAlertsAsync();
            Assert.Equal(2, Types().Count);
        }
        await Operators.SendAsync(f.Http, HttpMethod.Delete, $"/api/v1/operator/webhooks/{endpoint}", key);
    }

    [Fact]
    public async Task Two_instances_evaluating_at_once_and_a_restart_before_delivery_make_one_event_delivered_once()
    {
        var (receiver, endpoint, key) = await SubscribeAsync("twice");
        await using var _ = receiver;
        var org = await f.NewOrgAsync();
        var (_, license) = await f.Services.GetRequiredService<CredentialStore>().CreateLicenseAsync(org.OrgId, "enterprise", null, ["lgp"], [new Quota("agent_runs", 10)]);
        var today = DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime);
        await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, license.LicenseId, SelfReportedBillingTests.File((today, "p-1", 0, 9, 0))));

        // A second instance on the same storage; both evaluate at once, neither sends (a restart before delivery).
        var (second, _) = await f.StartAppAsync();
        await using (second)
        {
            await Task.WhenAll(
                f.Services.GetRequiredService<AlertConditions>().EvaluateAsync(CancellationToken.None),
                second.Services.GetRequiredService<AlertConditions>().EvaluateAsync(CancellationToken.None));
        }
        Assert.Empty(receiver.Requests("/hook/twice"));
        // After the "restart", both instances' runs at once: the one event, delivered once.
        var (third, _) = await f.StartAppAsync();
        await using (third)
            await Task.WhenAll(RunAlertsAsync(), RunAlertsAsync(third.Services));
        await RunAlertsAsync();
        var requests = receiver.Requests("/hook/twice").Where(r => r.GetProperty("event").GetProperty("type").GetString()!.StartsWith("quota.", StringComparison.Ordinal)
            && r.GetProperty("event").GetProperty("data").GetProperty("license_id").GetString() == license.LicenseId).ToList();
        var warning = Assert.Single(requests);
        Assert.Equal("quota.warning", warning.GetProperty("event").GetProperty("type").GetString());
        await Operators.SendAsync(f.Http, HttpMethod.Delete, $"/api/v1/operator/webhooks/{endpoint}", key);
    }
}
