using Beacon.Settings;
using Beacon.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The Azure Functions isolated worker (SPEC §16): the host starts this process, it connects back over
// gRPC, and HTTP requests reach it through the ASP.NET Core integration. Every function runs the app's
// own pipeline (EndpointPipeline); the host's timers replace `serve`'s in-process scheduler.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Configuration[$"{BeaconOptions.Section}:{nameof(BeaconOptions.RunScheduler)}"] = "false";
builder.Services.AddBeacon(builder.Configuration).AddBeaconApi();
builder.Services.Configure<KestrelServerOptions>(BeaconApp.ConfigureKestrel);
builder.Services.AddSingleton<Beacon.Functions.EndpointPipeline>();
builder.Build().Run();
