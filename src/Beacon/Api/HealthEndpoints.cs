using Beacon.Storage.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api;

/// <summary><c>GET /health</c>: 200 when storage answers, 503 otherwise.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", HealthAsync)
            .WithName("Health")
            .WithTags("Service")
            .WithSummary("Liveness and storage reachability.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Ok<HealthStatus>> HealthAsync(Tables tables, CancellationToken ct)
    {
        // A point read of an absent entity: one cheap round trip that proves auth and reachability.
        await tables.GetAsync(tables.Directory, "health", "probe", ct: ct);
        return TypedResults.Ok(new HealthStatus("healthy"));
    }
}
