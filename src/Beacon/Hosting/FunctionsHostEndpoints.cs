using Beacon.Storage.Maintenance;
using Beacon.Storage.Rollups;

namespace Beacon.Hosting;

/// <summary>
/// The custom-handler side of the Functions host contract (AZURE.md): the host POSTs a timer invocation
/// to <c>/{FunctionName}</c> and expects <c>{"Outputs":{},"Logs":[…],"ReturnValue":null}</c> with a 2xx, or
/// a non-2xx to fail the invocation. Mapped only in <see cref="HostMode.FunctionsHost"/>.
/// </summary>
internal static class FunctionsHostEndpoints
{
    // The host reads Outputs/Logs/ReturnValue exactly as named: no camelCase.
    private static readonly System.Text.Json.JsonSerializerOptions HostJson = new() { PropertyNamingPolicy = null };

    public static IEndpointRouteBuilder MapFunctionsHostEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/Rollup", RollupAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> RollupAsync(MaintenanceRun run, ILogger<MaintenanceRun> logger, CancellationToken ct)
    {
        try
        {
            var report = await run.RunAsync(ct: ct);
            RollupLog.Write(logger, report);
            return TypedResults.Json(new { Outputs = new { }, Logs = RollupLog.Lines(report), ReturnValue = (object?)null }, HostJson);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Rollup invocation failed");
            return TypedResults.Json(new { Outputs = new { }, Logs = new[] { "rollup failed: " + e.GetType().Name }, ReturnValue = (object?)null },
                HostJson, statusCode: StatusCodes.Status500InternalServerError);
        }
    }
}
