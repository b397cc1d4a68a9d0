using Beacon.Api.Access;
using Beacon.Api.Http;

namespace Beacon.Api.Telemetry;

/// <summary>
/// OTLP exporters authenticate with the header <c>X-Langchain-License-Key</c> (SPEC §4.7): missing or
/// unknown → 401, suspended or revoked → 403, over the license's rate → 429 with <c>Retry-After</c>
/// (OTLP exporters honour it). The filter also lifts the body limit to OTLP's 4 MiB for these routes.
/// </summary>
internal static class TelemetryAuthentication
{
    public const string Header = "X-Langchain-License-Key";

    public static TBuilder RequireLicenseHeader<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                OtlpBody.AllowWireLimit(http);
                var checks = http.RequestServices.GetRequiredService<CredentialChecks>();
                var key = http.Request.Headers[Header].ToString();
                if (key.Length == 0) return Problems.Unauthenticated($"Provide the license key in the {Header} header.");
                if (!checks.TryAcquire(http, key, out var retryAfter)) return RetryAfterResult.RateLimited(retryAfter);
                var check = await checks.LicenseAsync(http, key);
                if (check.IsUnknown) return Problems.Unauthenticated("The license key is unknown or malformed.");
                if (!check.IsUsable) return Problems.LicenseNotActive(check.RefusedBecause!);
                http.RequestServices.GetRequiredService<TelemetryCaller>().License = check.License!;
                return await next(context);
            })
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
