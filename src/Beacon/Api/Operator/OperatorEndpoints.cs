using System.Text.Json;
using Beacon.Api.Http;
using Beacon.Domain;
using Beacon.Domain.Credentials;
using Beacon.Domain.Fleet;
using Beacon.Domain.Meters;
using Beacon.Domain.Statements;
using Beacon.Domain.Time;
using Beacon.Domain.Usage;
using Beacon.Operations;
using Beacon.Storage.Statements;
using Beacon.Storage.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Operator;

/// <summary>
/// The vendor's operator API under <c>/api/v1/operator/</c> (SPEC §12): licenses and their actions,
/// deployments, an install's telemetry and snapshots, and the audit log. Every change is audited with
/// the operator key's name as the actor.
/// </summary>
internal static class OperatorEndpoints
{
    public static IEndpointRouteBuilder MapOperatorEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/operator").WithTags("Operator").RequireOperatorKey();
        group.MapGet("/licenses", LicensesAsync).WithName("OperatorLicenses")
            .WithSummary("A page of licenses (all, an org's, or in one reporting state) with verification counts, reporting state and counts per state.").ProducesProblem(400);
        group.MapGet("/licenses/{id}", LicenseAsync).WithName("OperatorLicense")
            .WithSummary("One license with its verification counts, quotas and reporting state.").ProducesProblem(400).ProducesProblem(404);
        foreach (var (action, status) in new[] { ("suspend", LicenseStatus.Suspended), ("revoke", LicenseStatus.Revoked), ("activate", LicenseStatus.Active) })
        {
            group.MapPost($"/licenses/{{id}}/{action}", (string id, OperatorCaller caller, LicenseActions actions, CancellationToken ct) =>
                    SetStatusAsync(id, status, caller, actions, ct))
                .WithName("OperatorLicense" + char.ToUpperInvariant(action[0]) + action[1..])
                .WithSummary($"{char.ToUpperInvariant(action[0]) + action[1..]} a license (effective within 60 s; audited).").ProducesProblem(404);
        }
        group.MapPost("/licenses/{id}/extend", ExtendAsync).WithName("OperatorLicenseExtend").DescribesJsonBody<RouteHandlerBuilder, ExpiryBody>()
            .WithSummary("Set a license's expiry to a later time (effective within 60 s; audited).").ProducesProblem(400).ProducesProblem(404);
        group.MapPost("/licenses/{id}/offline-key", OfflineKeyAsync).WithName("OperatorLicenseOfflineKey").DescribesJsonBody<RouteHandlerBuilder, ExpiryBody>()
            .WithSummary("Issue an offline license key: a JWS an air-gapped install verifies with the JWKS alone, valid until expires_at, which may not be later than the license's expiry (shown once; audited).")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/licenses/{id}/usage", LicenseUsageAsync).WithName("OperatorLicenseUsage")
            .WithSummary("A license's usage in a UTC month (default: this month) by meter, in total and per deployment.").ProducesProblem(400).ProducesProblem(404);
        group.MapGet("/deployments", DeploymentsAsync).WithName("OperatorDeployments")
            .WithSummary("A page of deployments (license or API key, workspace, project), silent ones first, with counts per state.").ProducesProblem(400);
        group.MapGet("/telemetry", TelemetryAsync).WithName("OperatorTelemetry")
            .WithSummary("A page of a license's latest operational metrics per instance, of its kept error logs and of its spans (newest first), and what was dropped; next_cursors goes on in each list.").ProducesProblem(400).ProducesProblem(404);
        group.MapGet("/snapshots", SnapshotsAsync).WithName("OperatorSnapshots")
            .WithSummary("A page of a license's usage snapshots, newest first.").ProducesProblem(400).ProducesProblem(404);
        group.MapGet("/audit", AuditAsync).WithName("OperatorAudit")
            .WithSummary("A page of the audit log of operator and CLI changes, newest first.").ProducesProblem(400);
        group.MapUsageReportEndpoints();
        group.MapWebhookEndpoints();
        group.MapStatementEndpoints();
        return app;
    }

    private static async Task<Results<Ok<LicenseList>, ProblemHttpResult>> LicensesAsync(
        string? org_id, string? state, string? cursor, string? limit, FleetQueries fleet, CancellationToken ct)
    {
        if (org_id is not null && !Ids.TryNormalizeUuid(org_id, out org_id)) return Invalid("org_id", "must be an organization id (UUID).");
        if (state is not null && !ReportingState.InOrder.Contains(state)) return Invalid("state", "must be reporting, silent or never.");
        if (!Paging.TryRead(limit, cursor, state is null ? ReportingState.InOrder : [state], out var n, out var after, out var problem)) return problem!;
        return TypedResults.Ok(await fleet.LicensesAsync(org_id, state, after, n, ct));
    }

    private static async Task<Results<Ok<LicenseView>, ProblemHttpResult>> LicenseAsync(string id, CredentialStore credentials, FleetQueries fleet, CancellationToken ct)
    {
        if (await LicenseOf(id, credentials, ct) is not { } license)
            return Ids.TryNormalizeUuid(id, out _) ? Problems.NotFound($"No license {id}.") : Invalid("id", "must be a license id (UUID).");
        return TypedResults.Ok(await fleet.LicenseAsync(license, ct));
    }

    private static async Task<Results<Ok<LicenseChange>, ProblemHttpResult>> SetStatusAsync(
        string id, LicenseStatus status, OperatorCaller caller, LicenseActions actions, CancellationToken ct)
    {
        if (await actions.SetStatusAsync(id, null, status, caller.Actor, ct) is not { } license) return Problems.NotFound($"No license {id}.");
        return TypedResults.Ok(new LicenseChange(license.LicenseId, license.OrgId, LicenseActions.Name(status), license.ExpiresAt));
    }

    private static async Task<Results<Ok<LicenseChange>, ProblemHttpResult>> ExtendAsync(
        string id, HttpRequest request, OperatorCaller caller, LicenseActions actions, CancellationToken ct)
    {
        if (!(await JsonBody.ReadAsync(request, Limits.MaxBodyBytes, ct)).TryGet(out var body, out var problem)) return problem;
        using var doc = body;
        if (actions.ReadExpiry(JsonBody.String(doc.RootElement, "expires_at"), out var expiresAt) is { } why) return Invalid("expires_at", why);
        if (await actions.ExtendAsync(id, null, expiresAt, caller.Actor, ct) is not { } license) return Problems.NotFound($"No license {id}.");
        return TypedResults.Ok(new LicenseChange(license.LicenseId, license.OrgId, LicenseActions.Name(license.Status), expiresAt));
    }

    private static async Task<Results<Created<Tokens.OfflineLicenseKey>, ProblemHttpResult>> OfflineKeyAsync(
        string id, HttpRequest request, OperatorCaller caller, Tokens.OfflineKeyIssuer issuer, CancellationToken ct)
    {
        if (!Ids.TryNormalizeUuid(id, out var licenseId)) return Invalid("id", "must be a license id (UUID).");
        if (!(await JsonBody.ReadAsync(request, Limits.MaxBodyBytes, ct)).TryGet(out var body, out var problem)) return problem;
        using var doc = body;
        if (doc.RootElement.ValueKind != JsonValueKind.Object) return Problems.Validation([new FieldError("$", "The body must be a JSON object.")]);
        if (!Timestamps.TryParseMicros(JsonBody.String(doc.RootElement, "expires_at"), out var micros))
            return Invalid("expires_at", "is required, as an ISO 8601 date-time with an offset, e.g. 2027-12-31T23:59:59Z.");
        var outcome = await issuer.IssueAsync(licenseId, null, Timestamps.ToDateTimeOffset(micros), caller.Actor, ct);
        if (outcome.NotFound) return Problems.NotFound($"No license {licenseId}.");
        if (outcome.Refused == OfflineKeyTerms.Refusal.BadExpiry) return Invalid("expires_at", outcome.Reason!);
        if (outcome.Refused == OfflineKeyTerms.Refusal.NotUsable) return Problems.Conflict(outcome.Reason!);
        return TypedResults.Created((string?)null, outcome.Key!);
    }

    private static async Task<Results<Ok<LicenseUsageView>, ProblemHttpResult>> LicenseUsageAsync(
        string id, string? month, CredentialStore credentials, DirectoryStore directory, MonthUsageReader usage, MeterCatalog catalog, TimeProvider time, CancellationToken ct)
    {
        var m = Month.Of(time.GetUtcNow());
        if (month is not null && !Month.TryParse(month, out m)) return Invalid("month", "must be YYYY-MM (from 2020-01).");
        if (await LicenseOf(id, credentials, ct) is not { } license || await directory.GetOrgAsync(license.OrgId, ct) is not { } org)
            return Ids.TryNormalizeUuid(id, out _) ? Problems.NotFound($"No license {id}.") : Invalid("id", "must be a license id (UUID).");
        var (total, deployments) = await usage.ReadLicenseAsync(org, license.LicenseId, m, ct);
        var names = (await directory.ListProjectsAsync(org.OrgId, ct)).GroupBy(p => p.ProjectId).ToDictionary(g => g.Key, g => g.First().Name);
        IReadOnlyDictionary<string, Int128> Values(MeterTotals t) => catalog.Meters.ToDictionary(x => x.Name, x => t.Get(x.Name));
        return TypedResults.Ok(new LicenseUsageView(license.LicenseId, org.OrgId, m.ToString(), Values(total),
            [.. deployments.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d =>
            {
                var (ws, project) = (d.Key[..d.Key.IndexOf('|', StringComparison.Ordinal)], d.Key[(d.Key.IndexOf('|', StringComparison.Ordinal) + 1)..]);
                return new DeploymentUsageView(ws, project, names.GetValueOrDefault(project, ""), Values(d.Value));
            })]));
    }

    private static async Task<Results<Ok<DeploymentList>, ProblemHttpResult>> DeploymentsAsync(
        string? org_id, string? license_id, string? state, string? cursor, string? limit, FleetQueries fleet, CancellationToken ct)
    {
        if (org_id is not null && !Ids.TryNormalizeUuid(org_id, out org_id)) return Invalid("org_id", "must be an organization id (UUID).");
        if (license_id is not null && !Ids.TryNormalizeUuid(license_id, out license_id)) return Invalid("license_id", "must be a license id (UUID).");
        if (state is not null && state is not (ReportingState.Reporting or ReportingState.Silent or ReportingState.Never))
            return Invalid("state", "must be reporting, silent or never.");
        // A deployment exists once it reported: it is never "never", and that listing is empty.
        if (state == ReportingState.Never) return TypedResults.Ok(new DeploymentList([], null, new StateCounts(0, 0, 0)));
        string[] sections = state is null ? [ReportingState.Silent, ReportingState.Reporting] : [state];
        if (!Paging.TryRead(limit, cursor, sections, out var n, out var after, out var problem)) return problem!;
        return TypedResults.Ok(await fleet.DeploymentsAsync(org_id, license_id, state, after, n, ct));
    }

    private static async Task<Results<Ok<TelemetryView>, ProblemHttpResult>> TelemetryAsync(
        string? license_id, string? limit, string? cursor, CredentialStore credentials, TelemetryStore telemetry, TimeProvider time, CancellationToken ct)
    {
        if (!Paging.TryRead(limit, cursor, [TelemetryStore.SeriesSection, TelemetryStore.Logs, TelemetryStore.Spans], out var n, out var after, out var problem)) return problem!;
        if (await LicenseOf(license_id, credentials, ct) is not { } found) return NotFoundOrInvalid(license_id);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        // Without a cursor every list starts; a cursor goes on in its own list only.
        bool Wants(string section) => after is null || after.Section == section;
        var (metrics, nextSeries) = Wants(TelemetryStore.SeriesSection)
            ? await telemetry.LatestPageAsync(found.LicenseId, after, n, ct) : ([], null);
        var logs = Wants(TelemetryStore.Logs) ? await telemetry.RecordsPageAsync(found.LicenseId, TelemetryStore.Logs, now, after, n, ct) : ([], null);
        var spans = Wants(TelemetryStore.Spans) ? await telemetry.RecordsPageAsync(found.LicenseId, TelemetryStore.Spans, now, after, n, ct) : ([], null);
        if (logs is null || spans is null) return Invalid("cursor", "must be the next_cursors value of a previous page of this listing, unchanged.");
        var instances = metrics.GroupBy(m => m.Instance).Select(g => new TelemetryInstance(g.Key, g.Max(m => m.SeenAt),
                [.. g.OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => new TelemetryMetric(m.Name, m.Unit, m.Kind, m.Attributes, Number(m.Value), m.At))]))
            .OrderByDescending(i => i.LastSeenAt).ToList();
        var c = await telemetry.CountsAsync(found.LicenseId, today.AddDays(-29), today, ct);
        return TypedResults.Ok(new TelemetryView(instances, [.. logs.Value.Records.Select(Record)], [.. spans.Value.Records.Select(Record)],
            new Dictionary<string, long>
            {
                ["logs_over_daily_cap"] = c.LogsDropped, ["logs_below_warn"] = c.LogsBelowWarn,
                ["spans_over_daily_cap"] = c.SpansDropped, ["spans_not_slow_or_failed"] = c.SpansNotSlowOrFailed,
            })
        {
            NextCursors = new TelemetryCursors(nextSeries?.Encode(), logs.Value.Next?.Encode(), spans.Value.Next?.Encode()),
        });
    }

    private static async Task<Results<Ok<SnapshotList>, ProblemHttpResult>> SnapshotsAsync(
        string? license_id, string? cursor, string? limit, CredentialStore credentials, SnapshotStore snapshots, CancellationToken ct)
    {
        if (!Paging.TryRead(limit, cursor, [SnapshotStore.Section], out var n, out var after, out var problem)) return problem!;
        if (await LicenseOf(license_id, credentials, ct) is not { } found) return NotFoundOrInvalid(license_id);
        var (list, next) = await snapshots.PageAsync(found.LicenseId, after, n, ct);
        return TypedResults.Ok(new SnapshotList([.. list.Select(s => new SnapshotView(s.From, s.To, s.Measures, s.ReceivedAt))], next?.Encode()));
    }

    private static async Task<Results<Ok<AuditList>, ProblemHttpResult>> AuditAsync(string? cursor, string? limit, AuditLog audit, CancellationToken ct)
    {
        if (!Paging.TryRead(limit, cursor, [AuditLog.Section], out var n, out var after, out var problem)) return problem!;
        var (records, next) = await audit.PageAsync(after, n, ct);
        return TypedResults.Ok(new AuditList([.. records.Select(r => new AuditView(r.At, r.Actor, r.Action, r.Target, r.Detail))], next?.Encode()));
    }

    private static async Task<LicenseRecord?> LicenseOf(string? licenseId, CredentialStore credentials, CancellationToken ct) =>
        licenseId is not null && Ids.TryNormalizeUuid(licenseId, out var id) ? await credentials.GetLicenseAsync(id, ct) : null;

    private static ProblemHttpResult NotFoundOrInvalid(string? licenseId) =>
        licenseId is not null && Ids.TryNormalizeUuid(licenseId, out _) ? Problems.NotFound($"No license {licenseId}.")
        : Invalid("license_id", "is required and must be a license id (UUID).");

    private static ProblemHttpResult Invalid(string field, string message) => Problems.Validation([new FieldError(field, message)]);

    // A stored "NaN" or "Infinity" (accepted before intake refused them) stays text: JSON has no such number.
    private static object Number(string value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : value;

    /// <summary>A kept record: <c>at</c> and <c>instance_id</c>, then its stored detail's own fields (a name seen already is skipped).</summary>
    private static JsonElement Record(StoredRecord r)
    {
        using var doc = JsonDocument.Parse(r.Detail);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("at", r.At);
            w.WriteString("instance_id", r.Instance);
            var seen = new HashSet<string>(StringComparer.Ordinal) { "at", "instance_id" };
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
                foreach (var p in doc.RootElement.EnumerateObject())
                    if (seen.Add(p.Name)) p.WriteTo(w);
            w.WriteEndObject();
        }
        using var merged = JsonDocument.Parse(buffer.WrittenMemory);
        return merged.RootElement.Clone();
    }
}
