using System.Text.Json;
using Beacon.Api.Access;
using Beacon.Api.Http;
using Beacon.Domain.Usage;
using Beacon.Storage.Stores;

namespace Beacon.Api.Reporting;

/// <summary>
/// Reporting endpoints carry their credential in the body, as the platform client sends it: a license
/// (<c>license_key</c>, or <c>license</c> as in the seeds) or an API key (<c>api_key</c>, or the
/// <c>X-Api-Key</c> header); older clients send both fields with one of them null. The filter reads
/// the body with its size limit before parsing, authenticates, and hands both to the handler in the
/// request's <see cref="ReportingRequest"/>. Order of checks: size, JSON, credential, rate limit.
/// </summary>
internal static class ReporterAuthentication
{
    public static TBuilder RequireReporter<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                if (!(await JsonBody.ReadAsync(http.Request, Limits.MaxBodyBytes, http.RequestAborted)).TryGet(out var body, out var problem)) return problem;
                using var doc = body;
                var (caller, refusal) = await AuthenticateAsync(doc.RootElement, http);
                if (refusal is not null) return refusal;
                http.RequestServices.GetRequiredService<ReportingRequest>().Set(doc, caller!);
                return await next(context);
            })
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<(ReportingCaller? Caller, IResult? Refusal)> AuthenticateAsync(JsonElement body, HttpContext http)
    {
        var checks = http.RequestServices.GetRequiredService<CredentialChecks>();
        var license = NonEmpty(JsonBody.String(body, "license_key")) ?? NonEmpty(JsonBody.String(body, "license"));
        var apiKey = NonEmpty(JsonBody.String(body, "api_key")) ?? NonEmpty(http.Request.Headers[CustomerAuthentication.Header].ToString());
        if (license is null && apiKey is null)
            return (null, Problems.Unauthenticated("Provide a license key (license_key) or an API key (api_key or the X-Api-Key header)."));
        if (!checks.TryAcquire(http, license ?? apiKey!, out var retryAfter)) return (null, RetryAfterResult.RateLimited(retryAfter));

        if (license is not null)
        {
            var check = await checks.LicenseAsync(http, license);
            if (check.IsUnknown) return (null, Problems.Unauthenticated("The license key is unknown or malformed."));
            if (!check.IsUsable) return (null, Problems.LicenseNotActive(check.RefusedBecause!));
            return (new ReportingCaller(check.License!.OrgId, Reporter.ForLicense(check.License.LicenseId), null, check.License), null);
        }
        var key = await checks.ActiveApiKeyAsync(http, apiKey!);
        if (key is null) return (null, Problems.Unauthenticated("The API key is unknown or revoked."));
        return (new ReportingCaller(key.OrgId, Reporter.ForApiKey(key), key, null), null);
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
