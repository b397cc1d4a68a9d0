using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Beacon.Api.Http;

namespace Beacon.Api;

/// <summary>
/// The Granular Usage dashboard: static files from wwwroot/dashboard (built with the app; the chart
/// library is copied from the pinned npm package at build time, no CDN). It uses only the public API.
/// One named route serves every asset, so the function app can expose it with one function.
/// </summary>
internal static class DashboardEndpoints
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    // No inline script or style, nothing from other origins.
    private const string Csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static IEndpointRouteBuilder MapDashboardEndpoints(this IEndpointRouteBuilder app, IWebHostEnvironment environment)
    {
        var root = Path.Combine(environment.ContentRootPath, "wwwroot", "dashboard");
        var files = Directory.Exists(root) ? new PhysicalFileProvider(root) : null;

        app.MapGet("/", () => Results.Redirect("/dashboard/")).ExcludeFromDescription();
        app.MapGet("/dashboard/{*path}", (string? path, HttpRequest request, HttpResponse response) =>
                // The page's relative asset URLs need the trailing slash; routing matches both forms.
                request.Path.Value == "/dashboard" ? Results.Redirect("/dashboard/") : Serve(files, path, response))
            .WithName("Dashboard")
            .WithTags("Pages")
            .WithSummary("The Granular Usage web dashboard (static files).")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static IResult Serve(PhysicalFileProvider? files, string? path, HttpResponse response)
    {
        path = string.IsNullOrEmpty(path) ? "index.html" : path;
        // PhysicalFileProvider refuses paths that leave its root (.., absolute paths).
        var file = files?.GetFileInfo(path);
        if (file is null || !file.Exists || file.IsDirectory) return Problems.NotFound("No such dashboard asset.");
        if (!ContentTypes.TryGetContentType(file.Name, out var type)) type = "application/octet-stream";
        response.Headers.ContentSecurityPolicy = Csp;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = path.StartsWith("lib/", StringComparison.Ordinal) ? "public, max-age=86400" : "no-cache";
        return Results.File(file.CreateReadStream(), type + (type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("javascript", StringComparison.Ordinal) ? "; charset=utf-8" : ""),
            lastModified: file.LastModified, enableRangeProcessing: false);
    }
}
