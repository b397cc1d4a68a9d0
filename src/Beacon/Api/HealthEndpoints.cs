using Beacon.Storage.Client;
using Beacon.Storage.Stores;

namespace Beacon.Api;

/// <summary><c>GET /health</c>: 200 when storage answers, 503 otherwise.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", HealthAsync)
            .WithName("Health")
            .WithSummary("Liveness and storage reachability.");
        return app;
    }

    private static async Task<IResult> HealthAsync(Tables tables, CancellationToken ct)
    {
        // A point read of an absent entity: one cheap round trip that proves auth and reachability.
        await tables.Directory.GetAsync("health", "probe", ct: ct);
        return TypedResults.Ok(new { status = "healthy" });
    }
}
