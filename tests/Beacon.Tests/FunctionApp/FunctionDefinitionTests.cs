using System.Text.Json;
using Beacon.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.FunctionApp;

/// <summary>
/// host.json and the function.json files must describe exactly the app's public routes, so the two can
/// never drift: a route without a function would be unreachable in Azure, a function without a route
/// would 404.
/// </summary>
[Collection(BeaconCollection.Name)]
public sealed class FunctionDefinitionTests(BeaconFixture f)
{
    internal static string FunctionAppSource => Path.Combine(AzuriteFixture.RepositoryRoot, "src", "Beacon", "FunctionApp");

    internal static Dictionary<string, JsonElement> Definitions(string folder) =>
        Directory.GetDirectories(folder)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .ToDictionary(d => Path.GetFileName(d)!, d => JsonDocument.Parse(File.ReadAllText(Path.Combine(d, "function.json"))).RootElement.Clone());

    /// <summary>(name, route without leading slash, lower-case methods) of every named endpoint.</summary>
    internal static List<(string Name, string Route, string[] Methods)> Routes(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .Select(e => (e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName,
                e.RoutePattern.RawText!.TrimStart('/'),
                e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => m.ToLowerInvariant()).Order().ToArray()))];

    [Fact]
    public void Every_named_route_has_exactly_one_http_function_and_every_http_function_a_route()
    {
        var definitions = Definitions(FunctionAppSource);
        var http = definitions.Where(d => d.Value.GetProperty("bindings")[0].GetProperty("type").GetString() == "httpTrigger")
            .ToDictionary(d => d.Key, d => d.Value.GetProperty("bindings"));
        var routes = Routes(f.Services);

        Assert.Equal(routes.Select(r => r.Name).Order(), http.Keys.Order());
        foreach (var (name, route, methods) in routes)
        {
            var bindings = http[name];
            Assert.Equal(route, bindings[0].GetProperty("route").GetString());
            Assert.Equal(methods, bindings[0].GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).Order().ToArray());
            Assert.Equal("anonymous", bindings[0].GetProperty("authLevel").GetString());
            Assert.Equal("http", bindings[1].GetProperty("type").GetString());
            Assert.Equal(2, bindings.GetArrayLength()); // pass-through applies only to this exact shape
        }
    }

    [Fact]
    public void The_rollup_timer_reads_its_schedule_from_the_same_setting_as_the_standalone_scheduler()
    {
        var timer = Definitions(FunctionAppSource)["Rollup"].GetProperty("bindings")[0];
        Assert.Equal("timerTrigger", timer.GetProperty("type").GetString());
        Assert.Equal("%Beacon__RollupSchedule%", timer.GetProperty("schedule").GetString());
        var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(AzuriteFixture.RepositoryRoot, "local.settings.sample.json"))).RootElement.GetProperty("Values");
        Assert.Equal(new BeaconOptions().RollupSchedule, sample.GetProperty("Beacon__RollupSchedule").GetString());
        Assert.True(CronSchedule.TryParse(new BeaconOptions().RollupSchedule, out _));
    }

    [Fact]
    public void Host_json_runs_the_handler_with_proxying_and_no_route_prefix()
    {
        var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(AzuriteFixture.RepositoryRoot, "host.json"))).RootElement;
        var handler = host.GetProperty("customHandler");
        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.Equal("app/beacon", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.Equal(["serve", "--functions-host"], handler.GetProperty("description").GetProperty("arguments").EnumerateArray().Select(a => a.GetString()));
        Assert.True(handler.GetProperty("enableProxyingHttpRequest").GetBoolean());
        Assert.Equal("", host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public async Task The_timer_invocation_endpoint_does_not_exist_in_standalone_mode()
    {
        var response = await f.Http.PostAsync("/Rollup", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
