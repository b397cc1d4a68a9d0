using System.Text.Json;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;
using Beacon.Domain.Credentials;
using Beacon.Domain.Fleet;
using Beacon.Storage.Stores;

namespace Beacon.Cli;

/// <summary>
/// <c>beacon seed-demo</c>: a demo organization with workspaces, users, named projects, a license, an
/// API key and ~90 days of usage of both kinds, shaped like real traffic (weekday peaks, growth,
/// replicas whose windows cross midnight, both retention tiers). Usage goes through the same parsers
/// and stores as the HTTP endpoints, built in the platform client's wire format.
/// </summary>
internal sealed class SeedDemo(IServiceProvider services, TimeProvider time)
{
    public const int Days = 90;

    /// <param name="OperatorKey">For the vendor console; null in demo files saved before the console existed.</param>
    public sealed record Result(string OrgId, string ApiKey, string LicenseKey, string DashboardUrl, string? OperatorKey = null)
    {
        /// <summary>
        /// The reporting-only API keys of grace and linus (by email), kept so the live demo can report for their
        /// deployments like the real client; null in demo files saved before the live demo existed.
        /// </summary>
        public IReadOnlyDictionary<string, string>? ReporterKeys { get; init; }

        /// <summary>Until when the demo has usage; null in demo files saved before top-ups existed.</summary>
        public DateTimeOffset? SeededThrough { get; init; }

        public string ConsoleUrl => DashboardUrl.Replace("/dashboard/", "/console/", StringComparison.Ordinal);
    }

    public async Task<Result> RunAsync(string baseUrl, CancellationToken ct)
    {
        var directory = services.GetRequiredService<DirectoryStore>();
        var credentials = services.GetRequiredService<CredentialStore>();

        var org = await directory.CreateOrgAsync("Demo Org", ct);
        var ws = new Dictionary<string, string>();
        foreach (var name in new[] { "Production", "Staging", "Research" })
        {
            ws[name] = Guid.NewGuid().ToString("D");
            await directory.CreateWorkspaceAsync(org.OrgId, ws[name], name, ct);
        }
        var ada = await directory.CreateUserAsync(org.OrgId, "ada@demo.example", [.. ws.Values, org.DefaultWorkspaceId!], ct);
        var grace = await directory.CreateUserAsync(org.OrgId, "grace@demo.example", [ws["Production"], ws["Staging"]], ct);
        var linus = await directory.CreateUserAsync(org.OrgId, "linus@demo.example", [ws["Research"]], ct);
        var (apiKey, adaKey) = await credentials.CreateApiKeyAsync(org.OrgId, ada.UserId, [ApiKeyRecord.OrganizationRead], null, ct);
        var (graceSecret, graceKey) = await credentials.CreateApiKeyAsync(org.OrgId, grace.UserId, [], null, ct);
        var (linusSecret, linusKey) = await credentials.CreateApiKeyAsync(org.OrgId, linus.UserId, [], null, ct);
        var (license, licenseRecord) = await credentials.CreateLicenseAsync(org.OrgId, "enterprise", time.GetUtcNow().AddYears(1),
            ["agent_deployments", "traces", "custom_auth"], null, ct);
        var (operatorKey, operatorRecord) = await credentials.CreateOperatorKeyAsync("demo-operator", ct);
        // The setup is audited like the same steps through the CLI (ids and names, never a secret).
        var audit = services.GetRequiredService<AuditLog>();
        await audit.AppendAsync(AuditLog.CliActor, "org.create", "org:" + org.OrgId,
            new Dictionary<string, string?> { ["name"] = org.Name, ["default_workspace_id"] = org.DefaultWorkspaceId, ["by"] = "seed-demo" }, ct);
        foreach (var (name, id) in ws)
            await audit.AppendAsync(AuditLog.CliActor, "workspace.create", "workspace:" + id, new Dictionary<string, string?> { ["org_id"] = org.OrgId, ["name"] = name, ["by"] = "seed-demo" }, ct);
        foreach (var user in new[] { ada, grace, linus })
            await audit.AppendAsync(AuditLog.CliActor, "user.create", "user:" + user.UserId, new Dictionary<string, string?> { ["org_id"] = org.OrgId, ["email"] = user.Email, ["by"] = "seed-demo" }, ct);
        foreach (var key in new[] { adaKey, graceKey, linusKey })
            await audit.AppendAsync(AuditLog.CliActor, "apikey.create", "apikey:" + key.KeyId, new Dictionary<string, string?>
            {
                ["org_id"] = org.OrgId, ["user_id"] = key.UserId, ["permissions"] = string.Join(',', key.Permissions), ["by"] = "seed-demo",
            }, ct);
        await audit.AppendAsync(AuditLog.CliActor, "license.create", "license:" + licenseRecord.LicenseId, new Dictionary<string, string?>
        {
            ["org_id"] = org.OrgId, ["plan"] = licenseRecord.Plan, ["expires_at"] = licenseRecord.ExpiresAt?.ToString("O"),
            ["entitlements"] = string.Join(',', licenseRecord.Entitlements), ["by"] = "seed-demo",
        }, ct);
        await audit.AppendAsync(AuditLog.CliActor, "operator.create", "operator:" + operatorRecord.OperatorId,
            new Dictionary<string, string?> { ["name"] = operatorRecord.Name, ["by"] = "seed-demo" }, ct);

        var now = time.GetUtcNow();
        var first = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-Days);
        var cast = new DemoCast(org.OrgId, ws, license, licenseRecord.LicenseId, graceKey, linusKey,
            [(ada.UserId, ""), (grace.UserId, graceKey.ShortKey), (linus.UserId, linusKey.ShortKey)]);
        await new DemoUsage(services, cast, first).AddAsync(first, now, createProjects: true, ct);

        return new Result(org.OrgId, apiKey, license, baseUrl.TrimEnd('/') + "/dashboard/", operatorKey)
        {
            SeededThrough = now,
            ReporterKeys = new Dictionary<string, string> { ["grace@demo.example"] = graceSecret, ["linus@demo.example"] = linusSecret },
        };
    }

    /// <summary>
    /// Adds the demo's usage from <paramref name="from"/> to now, so a demo started days after it was
    /// seeded still has recent data (the presets end at the last closed day). Returns the new end.
    /// </summary>
    public async Task<DateTimeOffset> TopUpAsync(Result demo, DateTimeOffset from, CancellationToken ct)
    {
        var (cast, origin) = await CastAsync(demo, ct);
        var now = time.GetUtcNow();
        await new DemoUsage(services, cast, origin).AddAsync(from, now, createProjects: false, ct);
        return now;
    }

    /// <summary>Who's who in a seeded demo, read back from storage, and the day its usage grows from.</summary>
    public async Task<(DemoCast Cast, DateTimeOffset Origin)> CastAsync(Result demo, CancellationToken ct)
    {
        var directory = services.GetRequiredService<DirectoryStore>();
        var credentials = services.GetRequiredService<CredentialStore>();
        var org = await directory.GetOrgAsync(demo.OrgId, ct) ?? throw new InvalidOperationException($"The demo organization {demo.OrgId} is gone.");
        var ws = (await directory.ListWorkspacesAsync(org.OrgId, ct)).Where(w => w.WorkspaceId != org.DefaultWorkspaceId).ToDictionary(w => w.Name, w => w.WorkspaceId);
        var users = (await directory.ListUsersAsync(org.OrgId, ct)).ToDictionary(u => u.Email, u => u.UserId);
        var keys = await credentials.ListApiKeysAsync(org.OrgId, ct);
        ApiKeyRecord KeyOf(string email) => keys.First(k => k.UserId == users[email] && !k.IsRevoked);
        var license = (await credentials.ListLicensesAsync(org.OrgId, ct)).OrderBy(l => l.CreatedAt).First();
        var (grace, linus) = (KeyOf("grace@demo.example"), KeyOf("linus@demo.example"));
        var cast = new DemoCast(org.OrgId, ws, demo.LicenseKey, license.LicenseId, grace, linus,
            [(users["ada@demo.example"], ""), (users["grace@demo.example"], grace.ShortKey), (users["linus@demo.example"], linus.ShortKey)]);
        return (cast, new DateTimeOffset(org.CreatedDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-Days));
    }
}
