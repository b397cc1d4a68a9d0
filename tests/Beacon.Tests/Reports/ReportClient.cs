using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;
using Beacon.Tests.Usage;
using Beacon.Tests.Vendor;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Reports;

/// <summary>What the self-reported usage tests share: uploading a file, exporting an org's usage, checking a receipt with Node's jose.</summary>
internal static class ReportClient
{
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient http, string operatorKey, string licenseId, byte[] csv, string? reportedBy = null)
    {
        var path = $"/api/v1/operator/licenses/{licenseId}/usage-reports" + (reportedBy is null ? "" : "?reported_by=" + Uri.EscapeDataString(reportedBy));
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(csv) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        request.Headers.Add(Operators.Header, operatorKey);
        return await http.SendAsync(request);
    }

    public static async Task<JsonElement> AcceptedAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The granular usage export of one org's days [from, to), daily buckets.</summary>
    public static async Task<string> ExportAsync(BeaconFixture f, string apiKey, string kind, string groupBy, DateOnly from, DateOnly to, IEnumerable<string> workspaces)
    {
        var query = UsageClient.QueryString(kind, groupBy, null, Iso(from), Iso(to), workspaces);
        var response = await UsageClient.GetAsync(f.Http, "/api/v1/orgs/current/billing/granular-usage/export?" + query, apiKey);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z";

    /// <summary>An org-wide API key (no user, no workspace scope): it reads every workspace the org has, including ones a report adds.</summary>
    public static async Task<string> OrgKeyAsync(BeaconFixture f, string orgId) =>
        (await f.Services.GetRequiredService<CredentialStore>().CreateApiKeyAsync(orgId, null, [ApiKeyRecord.OrganizationRead], null)).ApiKey;

    public static byte[] Bytes(string csv) => Encoding.UTF8.GetBytes(csv);

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

    /// <summary>Runs docs/examples/verify-receipt.mjs: the receipt's payload, or null and the script's reason.</summary>
    public static async Task<(JsonElement? Payload, string Error)> VerifyReceiptAsync(BeaconFixture f, string receipt, byte[]? file = null)
    {
        var jwks = await (await f.Http.GetAsync("/.well-known/jwks.json")).Content.ReadAsStringAsync();
        var jwksFile = Path.GetTempFileName();
        var csvFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(jwksFile, jwks);
        if (file is not null) await File.WriteAllBytesAsync(csvFile, file);
        try
        {
            return await NodeScript.RunAsync("docs/examples/verify-receipt.mjs", [jwksFile, receipt, .. file is null ? Array.Empty<string>() : [csvFile]]);
        }
        finally
        {
            File.Delete(jwksFile);
            File.Delete(csvFile);
        }
    }
}
