using Beacon.Api;
using Beacon.Api.Access;
using Beacon.Api.Billing;
using Beacon.Api.Http;
using Beacon.Api.Licenses;
using Beacon.Api.Meters;
using Beacon.Api.Operator;
using Beacon.Api.Reporting;
using Beacon.Api.Telemetry;
using Beacon.Domain.Usage;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Beacon.Hosting;

/// <summary>
/// Composes the web application. Only wiring lives here; behaviour lives in the endpoint classes. The
/// middleware and the routes are two methods, <see cref="UseBeacon"/> and <see cref="MapBeacon"/>, so that
/// the Functions worker runs exactly the same pipeline as <c>beacon serve</c> (SPEC §16).
/// </summary>
public static class BeaconApp
{
    /// <param name="customize">Lets tests replace services (a clock, a faulty transport) before the app is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        // ASP.NET Core writes four information lines per request (start, endpoint executing and
        // executed, finish): noise on the console at any real volume. Warnings and errors still show;
        // tests capture everything through their own provider.
        builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(ConfigureKestrel);

        builder.Services.AddBeacon(builder.Configuration).AddBeaconApi();
        customize?.Invoke(builder);

        var app = builder.Build();
        app.UseBeacon();
        app.MapBeacon();
        return app;
    }

    /// <summary>Kestrel's limits for Beacon's answers, wherever it listens (standalone or inside the worker).</summary>
    public static void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxRequestBodySize = Limits.MaxBodyBytes;
        kestrel.AddServerHeader = false;
    }

    /// <summary>
    /// The middleware every request passes between routing and its endpoint: problems for exceptions and
    /// bare status codes, the storage deadline, the one-time storage check for endpoints that need it, and the
    /// credential schemes and policies (Api/Access/CredentialSchemes).
    /// </summary>
    public static IApplicationBuilder UseBeacon(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestDeadline>();
        app.UseMiddleware<StorageGate>();
        // After the gate: the credential schemes read storage (through the credential cache).
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Every public route (the route table the worker's functions mirror, one function each).</summary>
    public static IEndpointRouteBuilder MapBeacon(this IEndpointRouteBuilder app)
    {
        app.MapLicenseEndpoints();
        app.MapAuthEndpoints();
        app.MapReportingEndpoints();
        app.MapGranularUsageEndpoints();
        app.MapMeterEndpoints();
        app.MapLangSmithEndpoints();
        app.MapTelemetryEndpoints();
        app.MapOperatorEndpoints();
        app.MapHealthEndpoints();
        app.MapDashboardEndpoints();
        app.MapOpenApi("/openapi/v1.json").WithName("OpenApi").WithTags("Service").WithSummary("This OpenAPI document: every public route.")
            .WithMetadata(NeedsNoStorage.Instance);
        return app;
    }
}
