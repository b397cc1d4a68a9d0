using System.Net;
using System.Text.Json;
using Beacon.Domain.Usage;
using Beacon.Storage.Reports;
using Beacon.Storage.Stores;
using Beacon.Tests.Usage;
using Beacon.Tests.Vendor;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Reports;

/// <summary>
/// Self-reported usage of air-gapped installs (SPEC §17) through the operator API on Azurite: a file the
/// granular export wrote for one org, uploaded for another org's license, reads back the same; later
/// reports win per day; identical bytes change nothing; receipts verify with the JWKS and chain.
/// </summary>
[Collection(ReportsCollection.Name)]
public sealed class SelfReportedUsageTests(NoFleetWriterFixture f)
{
    private DateOnly Today => DateOnly.FromDateTime(f.Clock.GetUtcNow().UtcDateTime);

    /// <summary>Seven past days of deployment windows and traces for an org, in its workspaces and projects (one project named).</summary>
    private async Task<(TestOrg Org, DateOnly From, DateOnly To)> MeteredOrgAsync(Random random)
    {
        var org = await f.NewOrgAsync("Connected Co");
        await f.Services.GetRequiredService<DirectoryStore>().NameProjectAsync(org.OrgId, "p-1", "Checkout bot");
        var from = Today.AddDays(-20);
        string[] workspaces = [org.WorkspaceA, org.WorkspaceB, ""];
        string[] projects = ["p-1", "p-2", ""];
        var traces = new List<object>();
        for (int d = 0; d < 7; d++)
        {
            var day = new DateTimeOffset(from.AddDays(d).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            for (int i = 0; i < 4; i++)
            {
                var start = day.AddMinutes(random.Next(0, 1300)).AddTicks(random.Next(0, 10_000_000));
                var body = Payloads.Window(org.LicenseKey, null, start, start.AddMinutes(random.Next(1, 400)), random.Next(0, 500), random.Next(0, 2000),
                    workspaces[random.Next(3)], projects[random.Next(3)]);
                var response = await f.PostJsonAsync("/v1/metadata/submit", body);
                Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
                traces.Add(Payloads.Transaction(Guid.NewGuid().ToString(), workspaces[random.Next(3)], projects[random.Next(3)], random.Next(1, 300),
                    day.AddMinutes(random.Next(0, 1400)), random.Next(2) == 0 ? "longlived" : "shortlived"));
            }
        }
        var sent = await f.PostJsonAsync("/v1/beacon/ingest-traces", JsonSerializer.Serialize(new { license_key = org.LicenseKey, trace_transactions = traces }));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        return (org, from, from.AddDays(7));
    }

    [Fact]
    public async Task An_export_of_one_org_uploaded_for_another_reads_back_the_same_and_later_reports_win_per_day_with_chained_receipts()
    {
        var key = await Operators.NewKeyAsync(f);
        var (a, from, to) = await MeteredOrgAsync(new Random(7));
        string[] aWorkspaces = [a.WorkspaceA, a.WorkspaceB, a.DefaultWorkspace];
        var byProject = await ReportClient.ExportAsync(f, a.ApiKey, "langsmith_deployments", "project", from, to, aWorkspaces);
        var traces = await ReportClient.ExportAsync(f, a.ApiKey, "traces", "project", from, to, aWorkspaces);
        var byWorkspace = await ReportClient.ExportAsync(f, a.ApiKey, "langsmith_deployments", "workspace", from, to, aWorkspaces);
        Assert.True(byProject.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length > 8, byProject);

        var b = await f.NewOrgAsync("Air Gapped Co");
        var bKey = await ReportClient.OrgKeyAsync(f, b.OrgId);

        // 1. Deployments by project: they land in B's Default workspace, with the file's project names.
        var first = await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, b.LicenseId, ReportClient.Bytes(byProject), "ops@air-gapped.example"));
        Assert.Equal(["days", "kind", "license_id", "previous_sha256", "receipt", "received_at", "report_id", "reported_by", "sha256", "totals"],
            first.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(b.LicenseId, first.GetProperty("license_id").GetString());
        Assert.Equal(ReportClient.Sha256(ReportClient.Bytes(byProject)), first.GetProperty("sha256").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("previous_sha256").ValueKind);
        Assert.Equal(Enumerable.Range(0, 7).Select(d => from.AddDays(d).ToString("yyyy-MM-dd")), first.GetProperty("days").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(ColumnSum(byProject, "Agent Runs"), first.GetProperty("totals").GetProperty("agent_runs").GetInt64());
        Assert.Equal(byProject, await ReportClient.ExportAsync(f, bKey, "langsmith_deployments", "project", from, to, [b.DefaultWorkspace]));

        // 2. Traces by project: another kind, the next link of the same chain.
        var second = await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, b.LicenseId, ReportClient.Bytes(traces)));
        Assert.Equal(first.GetProperty("sha256").GetString(), second.GetProperty("previous_sha256").GetString());
        Assert.Equal(traces, await ReportClient.ExportAsync(f, bKey, "traces", "project", from, to, [b.DefaultWorkspace]));
        Assert.Equal(byProject, await ReportClient.ExportAsync(f, bKey, "langsmith_deployments", "project", from, to, [b.DefaultWorkspace]));

        // 3. A report of two days with other numbers changes those two days and nothing else.
        var lines = byProject.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string[] changedDays = [ReportClient.Iso(from.AddDays(2)), ReportClient.Iso(from.AddDays(4))];
        var correction = lines[0] + "\r\n" + string.Concat(lines.Skip(1).Where(l => changedDays.Any(l.StartsWith)).Select(l => Bump(l, 1000) + "\r\n"));
        var third = await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, b.LicenseId, ReportClient.Bytes(correction)));
        Assert.Equal(second.GetProperty("sha256").GetString(), third.GetProperty("previous_sha256").GetString());
        Assert.Equal(changedDays.Select(d => d[..10]), third.GetProperty("days").EnumerateArray().Select(d => d.GetString()));
        var expected = lines[0] + "\r\n" + string.Concat(lines.Skip(1).Select(l => (changedDays.Any(l.StartsWith) ? Bump(l, 1000) : l) + "\r\n"));
        Assert.Equal(expected, await ReportClient.ExportAsync(f, bKey, "langsmith_deployments", "project", from, to, [b.DefaultWorkspace]));

        // 4. The same bytes again: 200, the same answer, nothing changes, no new report.
        var again = await ReportClient.UploadAsync(f.Http, key, b.LicenseId, ReportClient.Bytes(correction));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(third.ToString(), JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.ToString());
        Assert.Equal(expected, await ReportClient.ExportAsync(f, bKey, "langsmith_deployments", "project", from, to, [b.DefaultWorkspace]));

        // 5. An older report sent again is a new report: it wins its days again.
        var fourth = await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, b.LicenseId, ReportClient.Bytes(byProject)));
        Assert.Equal(third.GetProperty("sha256").GetString(), fourth.GetProperty("previous_sha256").GetString());
        Assert.Equal(byProject, await ReportClient.ExportAsync(f, bKey, "langsmith_deployments", "project", from, to, [b.DefaultWorkspace]));

        // 6. Grouped by workspace: A's workspace ids become B's, with the file's names.
        await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, b.LicenseId, ReportClient.Bytes(byWorkspace)));
        Assert.Equal(byWorkspace, await ReportClient.ExportAsync(f, bKey, "langsmith_deployments", "workspace", from, to, aWorkspaces));

        // The listing: newest first, every accepted report once.
        var list = await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/licenses/{b.LicenseId}/usage-reports?limit=2", key);
        var page = list.GetProperty("reports").EnumerateArray().ToList();
        Assert.Equal(2, page.Count);
        Assert.Equal(fourth.GetProperty("report_id").GetString(), page[1].GetProperty("report_id").GetString());
        var rest = await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/licenses/{b.LicenseId}/usage-reports?cursor={list.GetProperty("next_cursor").GetString()}", key);
        Assert.Equal(new[] { third, second, first }.Select(r => r.GetProperty("report_id").GetString()),
            rest.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("report_id").GetString()));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next_cursor").ValueKind);

        // Receipts: each verifies with the JWKS alone (Node's jose), names its file's hash, and chains to the one before.
        string? previous = null;
        foreach (var (answer, file) in new[] { (first, byProject), (second, traces), (third, correction), (fourth, byProject) })
        {
            var (payload, error) = await ReportClient.VerifyReceiptAsync(f, answer.GetProperty("receipt").GetString()!, ReportClient.Bytes(file));
            Assert.True(payload is not null, error);
            foreach (var field in new[] { "report_id", "license_id", "sha256" })
                Assert.Equal(answer.GetProperty(field).GetString(), payload.Value.GetProperty(field).GetString());
            Assert.Equal(answer.GetProperty("days").ToString(), payload.Value.GetProperty("days").ToString());
            Assert.Equal(answer.GetProperty("totals").ToString(), payload.Value.GetProperty("totals").ToString());
            Assert.Equal(previous, payload.Value.GetProperty("previous_sha256").ValueKind == JsonValueKind.Null ? null : payload.Value.GetProperty("previous_sha256").GetString());
            previous = payload.Value.GetProperty("sha256").GetString();
        }
        var (forged, why) = await ReportClient.VerifyReceiptAsync(f, first.GetProperty("receipt").GetString()!, ReportClient.Bytes(correction));
        Assert.Null(forged);
        Assert.Contains("sha256 mismatch", why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_file_is_refused_whole_listing_every_bad_row_and_stores_nothing()
    {
        var key = await Operators.NewKeyAsync(f);
        var org = await f.NewOrgAsync();
        var day = Today.AddDays(-3);
        const string Header = "Time Bucket Start,Time Bucket End,Workspace ID,Workspace Name,Project ID,Project Name,User ID,User Email,API Key Short Key,Nodes Executed,Agent Runs,Agent Uptime (seconds)";
        string Row(string start, string end, string project, string values) => $"{start},{end},,,{project},,,,,{values}";
        var file = string.Join("\r\n",
            Header,
            Row(ReportClient.Iso(day)[..10] + "T12:00:00Z", ReportClient.Iso(day.AddDays(1)), "p-1", "1,2,3"), // row 1: half a day
            Row(ReportClient.Iso(day), ReportClient.Iso(day.AddDays(1)), "p-1", "10,20,30"), // row 2: fine
            Row(ReportClient.Iso(day.AddDays(-1)), ReportClient.Iso(day), "p-2", "5,-4,30"), // row 3: a negative count
            Row(ReportClient.Iso(Today.AddDays(1)), ReportClient.Iso(Today.AddDays(2)), "p-1", "1,1,1"), // row 4: a future day
            Row(ReportClient.Iso(day), ReportClient.Iso(day.AddDays(1)), "p-2", "1,1000000000001,0"), // row 5: over 10^12
            Row(ReportClient.Iso(day), ReportClient.Iso(day.AddDays(1)), "p-1", "1,1,1")) + "\r\n"; // row 6: repeats row 2
        var response = await ReportClient.UploadAsync(f.Http, key, org.LicenseId, ReportClient.Bytes(file));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["row 1", "row 3", "row 4", "row 5", "row 6"], problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
        Assert.Contains("negative", problem.GetProperty("errors")[1].GetProperty("message").GetString(), StringComparison.Ordinal);

        // An unknown column: the header is not the export's, which is row 0.
        var unknown = Header + ",Discount\r\n" + Row(ReportClient.Iso(day), ReportClient.Iso(day.AddDays(1)), "p-1", "1,2,3") + ",5\r\n";
        response = await ReportClient.UploadAsync(f.Http, key, org.LicenseId, ReportClient.Bytes(unknown));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("row 0", Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());

        // Not text, not CSV, a grouping the export cannot import, a license that does not exist.
        response = await ReportClient.UploadAsync(f.Http, key, org.LicenseId, [0xff, 0xfe, 0x00, 0x41]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var byUser = $"{ReportClient.Iso(day)},{ReportClient.Iso(day.AddDays(1))},,,,,{Guid.NewGuid()},ada@example.com,,1,1,1";
        response = await ReportClient.UploadAsync(f.Http, key, org.LicenseId, ReportClient.Bytes(Header + "\r\n" + byUser + "\r\n"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        response = await ReportClient.UploadAsync(f.Http, key, Guid.NewGuid().ToString(), ReportClient.Bytes(Header + "\r\n" + Row(ReportClient.Iso(day), ReportClient.Iso(day.AddDays(1)), "p-1", "1,2,3") + "\r\n"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        var list = await Operators.GetJsonAsync(f.Http, $"/api/v1/operator/licenses/{org.LicenseId}/usage-reports", key);
        Assert.Empty(list.GetProperty("reports").EnumerateArray());
        var export = await ReportClient.ExportAsync(f, org.ApiKey, "langsmith_deployments", "project", day.AddDays(-1), Today, [org.DefaultWorkspace]);
        Assert.Equal(Header, export.TrimEnd('\r', '\n'));
        Assert.Empty(await f.RawAsync(f.Tables.ReportedUsage, org.OrgId));
    }

    [Fact]
    public async Task A_report_accepted_but_not_applied_before_a_crash_counts_after_the_next_rollup_run()
    {
        var org = await f.NewOrgAsync();
        var key = await ReportClient.OrgKeyAsync(f, org.OrgId);
        var day = Today.AddDays(-2);
        var bytes = SelfReportedBillingTests.File((day, "p-1", 30, 12, 3601));
        // The state a crash between accepting and applying leaves: the file kept, the chain moved, nothing applied.
        var store = f.Services.GetRequiredService<UsageReportStore>();
        var report = new StoredReport(Guid.NewGuid().ToString("D"), org.LicenseId, org.OrgId, 1, UsageKind.Deployments, [day],
            new Dictionary<string, long> { ["agent_runs"] = 12 }, ReportClient.Sha256(bytes), null, "receipt", "test", f.Clock.GetUtcNow());
        await store.SaveFileAsync(org.LicenseId, report.ReportId, BinaryData.FromBytes(bytes));
        Assert.True(await store.TryCommitAsync(null, report));
        async Task<long> RunsAsync() => (await UsageClient.QueryAsync(f.Http, key,
            UsageClient.QueryString("langsmith_deployments", "project", null, ReportClient.Iso(day), ReportClient.Iso(day.AddDays(1)), [org.DefaultWorkspace]), "project")).Rows.Sum(r => r.Runs);
        Assert.Equal(0, await RunsAsync());

        await f.Run().RunAsync(null, org.OrgId);
        Assert.Equal(12, await RunsAsync());
        Assert.False((await store.GetHeadAsync(org.LicenseId))!.Pending);
    }

    [Fact]
    public async Task The_cli_import_records_the_same_report_with_the_same_audit_fields_and_prints_the_receipt()
    {
        var key = await Operators.NewKeyAsync(f, "ops-reports");
        var org = await f.NewOrgAsync();
        var day = Today.AddDays(-5);
        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, SelfReportedBillingTests.File((day, "p-1", 30, 12, 3601), (day, "p-2", 3, 2, 60)));
        try
        {
            async Task<(int Code, JsonElement Json)> ImportAsync()
            {
                using var stdout = new StringWriter();
                using var stderr = new StringWriter();
                var code = await Beacon.Cli.CliApp.RunAsync(["usage", "import", "--license", org.LicenseId, "--file", file, "--reported-by", "ops@customer.example", "--json"],
                    stdout, stderr, new Dictionary<string, string?> { ["AzureWebJobsStorage"] = f.ConnectionString });
                Assert.True(code == 0, stderr.ToString());
                return (code, JsonDocument.Parse(stdout.ToString()).RootElement.Clone());
            }
            var (_, first) = await ImportAsync();
            Assert.Equal(["created", "days", "license_id", "previous_sha256", "receipt", "report_id", "sha256", "totals"], first.EnumerateObject().Select(p => p.Name).Order());
            Assert.True(first.GetProperty("created").GetBoolean());
            Assert.Equal(14, first.GetProperty("totals").GetProperty("agent_runs").GetInt64());
            var (_, again) = await ImportAsync();
            Assert.False(again.GetProperty("created").GetBoolean());
            Assert.Equal(first.GetProperty("receipt").GetString(), again.GetProperty("receipt").GetString());

            // The API records the next report with the same audit fields; no audit record holds the file.
            await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, org.LicenseId, SelfReportedBillingTests.File((day, "p-1", 1, 1, 1))));
            var audit = (await Operators.GetJsonAsync(f.Http, "/api/v1/operator/audit?limit=100", key)).GetProperty("records").EnumerateArray()
                .Where(r => r.GetProperty("action").GetString() == "license.usage_report" && r.GetProperty("target").GetString() == "license:" + org.LicenseId).ToList();
            Assert.Equal(["ops-reports", "cli"], audit.Select(r => r.GetProperty("actor").GetString()));
            Assert.Equal(audit[1].GetProperty("detail").EnumerateObject().Select(p => p.Name).Order(), audit[0].GetProperty("detail").EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal(first.GetProperty("report_id").GetString(), audit[1].GetProperty("detail").GetProperty("report_id").GetString());
            Assert.DoesNotContain("p-1", string.Join("", audit.Select(a => a.ToString())), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_day_of_500_rows_with_the_longest_non_ascii_project_ids_is_stored_and_a_501st_row_is_refused()
    {
        var key = await Operators.NewKeyAsync(f, "ops-big-day");
        var org = await f.NewOrgAsync();
        var day = Today.AddDays(-4);
        // 256 characters of a three-byte script each, as many rows as a day may hold: the day still fits one storage entity.
        string Id(int i) => i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + new string('語', 253);
        var rows = Enumerable.Range(0, 500).Select(i => (day, Id(i), 1L, 1L, 60L)).ToArray();
        var stored = await ReportClient.AcceptedAsync(await ReportClient.UploadAsync(f.Http, key, org.LicenseId, SelfReportedBillingTests.File(rows)));
        Assert.Equal(500, stored.GetProperty("totals").GetProperty("agent_runs").GetInt64());
        var orgKey = await ReportClient.OrgKeyAsync(f, org.OrgId);
        var (_, byProject) = await UsageClient.QueryAsync(f.Http, orgKey,
            UsageClient.QueryString("langsmith_deployments", "project", null, ReportClient.Iso(day), ReportClient.Iso(day.AddDays(1)), [org.DefaultWorkspace]), "project");
        Assert.Equal(500, byProject.Count);

        var tooMany = await ReportClient.UploadAsync(f.Http, key, org.LicenseId, SelfReportedBillingTests.File([.. rows, (day, "one-more", 1L, 1L, 60L)]));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("at most 500 rows", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static long ColumnSum(string csv, string column)
    {
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToList();
        int c = Array.IndexOf(rows[0], column);
        return rows.Skip(1).Sum(r => long.Parse(r[c], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A deployments CSV line with its Agent Runs raised by <paramref name="by"/> (names in these files hold no commas).</summary>
    private static string Bump(string line, long by)
    {
        var cells = line.Split(',');
        cells[10] = (long.Parse(cells[10], System.Globalization.CultureInfo.InvariantCulture) + by).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Join(',', cells);
    }
}
