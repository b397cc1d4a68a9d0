using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Beacon.Tests.FunctionApp;

/// <summary>The app's public routes as ASP.NET Core maps them: what the OpenAPI document, the worker's functions and the auth matrix are held to.</summary>
internal static class RouteTable
{
    /// <summary>(name, route without leading slash, lower-case methods) of every named endpoint.</summary>
    public static List<(string Name, string Route, string[] Methods)> Routes(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .Select(e => (e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName,
                e.RoutePattern.RawText!.TrimStart('/'),
                e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => m.ToLowerInvariant()).Order().ToArray()))];
}
