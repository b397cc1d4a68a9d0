using Beacon.Domain.Usage;
using Beacon.Tokens;

namespace Beacon.Api;

/// <summary><c>POST /v1/beacon/verify</c> and <c>GET /.well-known/jwks.json</c> (SPEC §4.1–4.2).</summary>
internal static class LicenseEndpoints
{
    public static IEndpointRouteBuilder MapLicenseEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/beacon/verify", VerifyAsync)
            .WithName("Verify")
            .WithSummary("Exchange a license key for a short-lived signed JWT.");
        app.MapGet("/.well-known/jwks.json", JwksAsync)
            .WithName("Jwks")
            .WithSummary("The public keys that verify license tokens (current and previous).");
        return app;
    }

    private static async Task<IResult> VerifyAsync(HttpRequest request, Callers callers, LicenseTokenIssuer issuer, ILoggerFactory logs, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync(request, Limits.MaxBodyBytes, ct);
        if (problem is not null) return problem;
        using var doc = body!;
        var key = JsonBody.String(doc.RootElement, "license") ?? JsonBody.String(doc.RootElement, "license_key");
        if (string.IsNullOrEmpty(key)) return Problems.Unauthenticated("Provide the license key as \"license\".");
        if (!callers.TryAcquire(key, out var retryAfter)) return RetryAfterResult.RateLimited(retryAfter);

        var (license, refused) = await callers.AuthenticateLicenseAsync(key, ct);
        if (refused is not null) return refused;
        var token = await issuer.IssueAsync(license!, ct);
        logs.CreateLogger("Beacon.Verify").LogInformation("Issued a license token for org {OrgId} license {LicenseId}", license!.OrgId, license.LicenseId);
        return TypedResults.Ok(new { token });
    }

    private static async Task<IResult> JwksAsync(SigningKeyRing keys, HttpResponse response, CancellationToken ct)
    {
        response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Text(await keys.GetJwksJsonAsync(ct), "application/json");
    }
}
