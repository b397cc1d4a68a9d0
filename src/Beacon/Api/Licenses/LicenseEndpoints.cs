using Beacon.Storage.Statements;
using Beacon.Api.Access;
using Beacon.Api.Http;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;
using Beacon.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Licenses;

/// <summary><c>POST /v1/beacon/verify</c> and <c>GET /.well-known/jwks.json</c> (SPEC §4.1–4.2).</summary>
internal static class LicenseEndpoints
{
    public static IEndpointRouteBuilder MapLicenseEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(string.Empty).WithTags("Licensing");
        group.MapPost("/v1/beacon/verify", VerifyAsync)
            .DescribesJsonBody<RouteHandlerBuilder, VerifyBody>()
            .WithName("Verify")
            .WithSummary("Exchange a license key for a short-lived signed JWT.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/.well-known/jwks.json", JwksAsync)
            .WithName("Jwks")
            .WithSummary("The public keys that verify license tokens (current and previous).")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult, RetryAfterResult>> VerifyAsync(
        HttpRequest request, CredentialChecks checks, LicenseTokenIssuer issuer, VerificationStore verifications, QuotaMeter quotas, TimeProvider time, CancellationToken ct)
    {
        if (!(await JsonBody.ReadAsync(request, Limits.MaxBodyBytes, ct)).TryGet(out var body, out var problem)) return problem;
        using var doc = body;
        var key = JsonBody.String(doc.RootElement, "license") ?? JsonBody.String(doc.RootElement, "license_key");
        if (string.IsNullOrEmpty(key)) return Problems.Unauthenticated("Provide the license key as \"license\".");
        if (!checks.TryAcquire(request.HttpContext, key, out var retryAfter)) return RetryAfterResult.RateLimited(retryAfter);

        var check = await checks.LicenseAsync(request.HttpContext, key);
        if (check.IsUnknown) return Problems.Unauthenticated("The license key is unknown or malformed.");
        // Counted before answering, accepted and refused apart (a key nobody issued has no license to count on).
        await verifications.RecordAsync(check.License!.OrgId, check.License.LicenseId, check.IsUsable, time.GetUtcNow(), ct);
        if (!check.IsUsable) return Problems.LicenseNotActive(check.RefusedBecause!);
        var standing = await quotas.EvaluateAsync(check.License, ct);
        return TypedResults.Ok(new TokenResponse(await issuer.IssueAsync(check.License, [.. standing.Select(QuotaView.Of)], ct)));
    }

    private static async Task<ContentHttpResult> JwksAsync(SigningKeyRing keys, HttpResponse response, CancellationToken ct)
    {
        response.Headers.CacheControl = $"public, max-age={(int)SigningKeyRing.JwksMaxAge.TotalSeconds}";
        return TypedResults.Text(await keys.GetJwksJsonAsync(ct), "application/json");
    }
}
