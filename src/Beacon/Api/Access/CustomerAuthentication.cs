using Beacon.Api.Http;
using Beacon.Domain.Credentials;

namespace Beacon.Api.Access;

/// <summary>
/// Customer endpoints authenticate with <c>X-Api-Key</c>. The filter checks the rate limit (before any
/// storage read), finds the key and, for usage data, its <c>organization:read</c> permission, and puts
/// the key in the request's <see cref="CustomerCaller"/>; the handler never sees an unauthenticated call.
/// </summary>
internal static class CustomerAuthentication
{
    public const string Header = "X-Api-Key";

    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, bool readUsage) where TBuilder : IEndpointConventionBuilder =>
        builder
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                var checks = http.RequestServices.GetRequiredService<CredentialChecks>();
                var presented = http.Request.Headers[Header].ToString();
                if (presented.Length == 0) return Problems.Unauthenticated($"Provide an API key in the {Header} header.");
                if (!checks.TryAcquire(presented, out var retryAfter)) return RetryAfterResult.RateLimited(retryAfter);
                var key = await checks.ActiveApiKeyAsync(presented, http.RequestAborted);
                if (key is null) return Problems.Unauthenticated("The API key is unknown or revoked.");
                if (readUsage && !key.CanReadUsage)
                    return Problems.Forbidden($"This API key lacks the {ApiKeyRecord.OrganizationRead} permission.");
                http.RequestServices.GetRequiredService<CustomerCaller>().Key = key;
                return await next(context);
            })
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
