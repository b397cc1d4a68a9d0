using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Beacon.Storage.Stores;
using Beacon.Tests.FunctionApp;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.Vendor;

/// <summary>
/// Operator keys and customer credentials never cross (SPEC §12): the full matrix over the app's route
/// table, so a route added later is covered without touching this test.
/// </summary>
[Collection(BeaconCollection.Name)]
public sealed class OperatorAuthTests(NoFleetWriterFixture f)
{
    // Pages and public documents need no credential at all.
    private static readonly HashSet<string> Public = ["Health", "Jwks", "OpenApi", "Dashboard", "Console", "Meters"];

    private static string Concrete(string route) =>
        "/" + System.Text.RegularExpressions.Regex.Replace(route, @"\{[^}]+\}", Guid.NewGuid().ToString());

    private async Task<HttpStatusCode> SendAsync(string method, string path, Action<HttpRequestMessage> credential)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path);
        if (method != "get") request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{}"));
        if (request.Content is not null) request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        credential(request);
        return (await f.Http.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Operator_keys_are_refused_by_every_customer_endpoint_in_every_place_a_credential_goes()
    {
        var op = await Operators.NewKeyAsync(f);
        var routes = FunctionApp.RouteTable.Routes(f.Services).Where(r => !Public.Contains(r.Name) && !r.Route.StartsWith("api/v1/operator/", StringComparison.Ordinal)).ToList();
        Assert.True(routes.Count >= 12, $"only {routes.Count} customer routes found");
        var placements = new Dictionary<string, Action<HttpRequestMessage>>
        {
            ["X-Api-Key"] = r => r.Headers.Add("X-Api-Key", op),
            ["Bearer"] = r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", op),
            ["X-Langchain-License-Key"] = r => r.Headers.Add("X-Langchain-License-Key", op),
            ["X-Operator-Key"] = r => r.Headers.Add(Operators.Header, op),
            ["body"] = r =>
            {
                if (r.Content is null) return;
                r.Content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""{"license_key":"{{op}}","api_key":"{{op}}","license":"{{op}}"}"""));
                r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            },
        };
        var accepted = new List<string>();
        foreach (var (name, route, methods) in routes)
            foreach (var method in methods)
                foreach (var (where, place) in placements)
                {
                    var status = await SendAsync(method, Concrete(route), place);
                    if (status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)) accepted.Add($"{method.ToUpperInvariant()} /{route} with the operator key in {where}: {(int)status}");
                }
        Assert.Empty(accepted);
    }

    [Fact]
    public async Task Customer_keys_and_licenses_are_refused_by_every_operator_endpoint()
    {
        var org = await f.NewOrgAsync();
        var routes = FunctionApp.RouteTable.Routes(f.Services).Where(r => r.Route.StartsWith("api/v1/operator/", StringComparison.Ordinal)).ToList();
        Assert.Equal(23, routes.Count); // licenses (list, one, 4 actions, offline key, usage, usage reports in and out), webhooks (6), deployments, telemetry, snapshots, audit, statement, close, adjustments
        var credentials = new Dictionary<string, Action<HttpRequestMessage>>
        {
            ["nothing"] = _ => { },
            ["an API key as X-Api-Key"] = r => r.Headers.Add("X-Api-Key", org.ApiKey),
            ["an API key as X-Operator-Key"] = r => r.Headers.Add(Operators.Header, org.ApiKey),
            ["a license as X-Operator-Key"] = r => r.Headers.Add(Operators.Header, org.LicenseKey),
            ["a license as Bearer"] = r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", org.LicenseKey),
            ["a license as X-Langchain-License-Key"] = r => r.Headers.Add("X-Langchain-License-Key", org.LicenseKey),
        };
        var accepted = new List<string>();
        foreach (var (_, route, methods) in routes)
            foreach (var method in methods)
                foreach (var (what, place) in credentials)
                {
                    var status = await SendAsync(method, Concrete(route), place);
                    if (status != HttpStatusCode.Unauthorized) accepted.Add($"{method.ToUpperInvariant()} /{route} with {what}: {(int)status}");
                }
        Assert.Empty(accepted);
        var op = await Operators.NewKeyAsync(f);
        Assert.Equal(HttpStatusCode.OK, await SendAsync("get", "/api/v1/operator/licenses", r => r.Headers.Add(Operators.Header, op)));
    }

    [Fact]
    public async Task A_revoked_operator_key_stops_working_within_a_minute()
    {
        var store = f.Services.GetRequiredService<CredentialStore>();
        var (key, record) = await store.CreateOperatorKeyAsync("leaving");
        Assert.Equal(HttpStatusCode.OK, await SendAsync("get", "/api/v1/operator/audit?limit=1", r => r.Headers.Add(Operators.Header, key)));
        await store.RevokeOperatorKeyAsync(record.OperatorId);
        var status = await Operators.EventuallyAsync(() => SendAsync("get", "/api/v1/operator/audit?limit=1", r => r.Headers.Add(Operators.Header, key)),
            s => s == HttpStatusCode.Unauthorized, 60);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }
}
