using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Beacon.Api.Http;

namespace Beacon.Api;

/// <summary>
/// The pages: the customers' Granular Usage dashboard (wwwroot/dashboard) and the vendor's console
/// (wwwroot/console), static files built with the app (the chart library is copied from the pinned npm
/// package at build time, no CDN). Each uses only its public API. One named route per page serves
/// every asset, so the function app can expose each with one function.
/// </summary>
internal static class DashboardEndpoints
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    // No inline script or style, nothing from other origins.
    private const string Csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static IEndpointRouteBuilder MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect("/dashboard/")).ExcludeFromDescription().WithMetadata(NeedsNoStorage.Instance);
        MapPage(app, "dashboard", "Dashboard", "The Granular Usage web dashboard (static files).");
        MapPage(app, "console", "Console", "The vendor console: fleet, licenses and audit (static files).");
        return app;
    }

    private static void MapPage(IEndpointRouteBuilder app, string folder, string name, string summary)
    {
        // Next to the binary, whichever host runs it (serve, or the Functions worker whose output holds the app's files).
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot", folder);
        var files = Directory.Exists(root) ? new PhysicalFileProvider(root) : null;
        app.MapGet($"/{folder}/{{*path}}", (string? path, HttpRequest request, HttpResponse response) =>
                // The page's relative asset URLs need the trailing slash; routing matches both forms.
                request.Path.Value == "/" + folder ? Results.Redirect($"/{folder}/") : Serve(files, path, response))
            .WithName(name)
            .WithMetadata(NeedsNoStorage.Instance)
            .WithTags("Pages")
            .WithSummary(summary)
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult Serve(PhysicalFileProvider? files, string? path, HttpResponse response)
    {
        path = string.IsNullOrEmpty(path) ? "index.html" : path;
        // PhysicalFileProvider refuses paths that leave its root (.., absolute paths).
        var file = files?.GetFileInfo(path);
        if (file is null || !file.Exists || file.IsDirectory) return Problems.NotFound("No such page asset.");
        if (!ContentTypes.TryGetContentType(file.Name, out var type)) type = "application/octet-stream";
        response.Headers.ContentSecurityPolicy = Csp;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = path.StartsWith("lib/", StringComparison.Ordinal) ? "public, max-age=86400" : "no-cache";
        return Results.File(file.CreateReadStream(), type + (type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal) ? "; charset=utf-8" : ""),
            lastModified: file.LastModified, enableRangeProcessing: false);
    }
}
