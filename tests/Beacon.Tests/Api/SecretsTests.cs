using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Beacon.Tests.Api;

/// <summary>Secrets are hashed at rest and never logged, whatever path a request takes.</summary>
[Collection(BeaconCollection.Name)]
public sealed class SecretsTests(NoFleetWriterFixture f)
{
    [Fact]
    public async Task No_table_holds_a_plaintext_license_key_or_api_key_and_no_log_line_holds_any_secret()
    {
        var org = await f.NewOrgAsync();
        var nine = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
        // Exercise every path that sees a secret: success, validation failure, 403, unknown key.
        var verify = await f.PostAsync("/v1/beacon/verify", new { license = org.LicenseKey });
        var token = (await verify.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey, null, nine, nine.AddMinutes(5), 1, 1, org.WorkspaceA));
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(null, org.ApiKey, nine, nine.AddMinutes(-5), 1, 1, org.WorkspaceA));
        await f.PostJsonAsync("/v1/metadata/submit", Payloads.Window(org.LicenseKey + "x", null, nine, nine.AddMinutes(5), 1, 1));
        await f.PostJsonAsync("/v1/beacon/ingest-traces", Payloads.Traces(org.LicenseKey, [Payloads.Transaction("t1", org.WorkspaceA, "p", 1, nine)]));
        using (var auth = new HttpRequestMessage(HttpMethod.Post, "/auth"))
        {
            auth.Headers.Add("X-Api-Key", org.ApiKey);
            Assert.Equal(HttpStatusCode.OK, (await f.Http.SendAsync(auth)).StatusCode);
        }

        var secrets = new[] { org.LicenseKey, org.ApiKey, token };
        foreach (var table in f.Tables.AllTables)
        {
            await foreach (var e in table.QueryAsync<Azure.Data.Tables.TableEntity>(filter: (string?)null))
            {
                var text = e.PartitionKey + e.RowKey + string.Join('|', e.Select(p => p.Value?.ToString()));
                Assert.DoesNotContain(org.LicenseKey, text, StringComparison.Ordinal);
                Assert.DoesNotContain(org.ApiKey, text, StringComparison.Ordinal);
            }
        }
        var logs = f.Logs.All;
        Assert.NotEmpty(f.Logs.Lines);
        foreach (var secret in secrets) Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        // The secrets' distinctive tails too, in case something truncates or splits them.
        Assert.DoesNotContain(org.LicenseKey[^20..], logs, StringComparison.Ordinal);
        Assert.DoesNotContain(org.ApiKey[^20..], logs, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2], logs, StringComparison.Ordinal);
    }
}
