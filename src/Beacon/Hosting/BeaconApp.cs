using System.Globalization;
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

namespace Beacon.Hosting;

/// <summary>Composes the web application. Only wiring lives here; behaviour lives in the endpoint classes.</summary>
public static class BeaconApp
{
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <param name="customize">Lets tests replace services (a clock, a faulty transport) before the app is built.</param>
    public static WebApplication Build(string[] args, HostMode mode, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
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
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = Limits.MaxBodyBytes;
            k.AddServerHeader = false;
        });

        if (mode == HostMode.FunctionsHost)
        {
            var port = builder.Configuration[CustomHandlerPortVariable]
                       ?? throw new InvalidOperationException($"{CustomHandlerPortVariable} is not set: the Functions host sets it when it starts a custom handler.");
            builder.WebHost.UseUrls($"http://127.0.0.1:{int.Parse(port, CultureInfo.InvariantCulture)}");
            // The host's timer trigger owns the schedule in this mode.
            builder.Configuration[$"{BeaconOptions.Section}:{nameof(BeaconOptions.RunScheduler)}"] = "false";
        }

        builder.Services.AddBeacon(builder.Configuration).AddBeaconApi();
        customize?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestDeadline>();
        app.MapLicenseEndpoints();
        app.MapAuthEndpoints();
        app.MapReportingEndpoints();
        app.MapGranularUsageEndpoints();
        app.MapMeterEndpoints();
        app.MapLangSmithEndpoints();
        app.MapTelemetryEndpoints();
        app.MapOperatorEndpoints();
        app.MapHealthEndpoints();
        app.MapDashboardEndpoints(app.Environment);
        app.MapOpenApi("/openapi/v1.json").WithName("OpenApi").WithTags("Service").WithSummary("This OpenAPI document: every public route.");
        if (mode == HostMode.FunctionsHost) app.MapFunctionsHostEndpoints();
        return app;
    }
}
