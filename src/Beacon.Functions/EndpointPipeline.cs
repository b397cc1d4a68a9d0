using Beacon.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Beacon.Functions;

/// <summary>
/// The app's own request pipeline — routing, <see cref="BeaconApp.UseBeacon"/> and <see cref="BeaconApp.MapBeacon"/>
/// in the order a <c>WebApplication</c> runs them, exactly what <c>beacon serve</c> runs — built once inside the worker. A function hands it the request
/// the host forwarded: the worker's routing has already chosen the function, so the pipeline routes again
/// to the endpoint of the same route and runs it with its filters, limits and problems. One
/// implementation of every operation, whichever host runs it.
/// </summary>
public sealed class EndpointPipeline(IServiceProvider services)
{
    private readonly Lazy<RequestDelegate> _pipeline = new(() =>
    {
        var app = new ApplicationBuilder(services);
        app.UseRouting();
        app.UseBeacon();
        app.UseEndpoints(endpoints => endpoints.MapBeacon());
        return app.Build();
    });

    /// <summary>Answers the request on its own response; the function returns nothing more to write.</summary>
    public async Task<IResult> RunAsync(HttpRequest request)
    {
        var context = request.HttpContext;
        // Forget the worker's match (its function endpoint), or routing would skip matching Beacon's.
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        await _pipeline.Value(context);
        return Results.Empty;
    }
}
