using Beacon.Api.Http;
using Beacon.Domain;
using Beacon.Domain.Credentials;

namespace Beacon.Api.Access;

/// <summary>
/// Customer endpoints authenticate with <c>X-Api-Key</c> (and an optional <c>X-Organization-Id</c> that
/// must name the key's org). The filter checks the rate limit (before any storage read), finds the key
/// and, for usage data, its <c>organization:read</c> permission, and puts
/// the key in the request's <see cref="CustomerCaller"/>; the handler never sees an unauthenticated call.
/// </summary>
internal static class CustomerAuthentication
{
    public const string Header = "X-Api-Key";
    public const string OrganizationHeader = "X-Organization-Id";

    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, bool readUsage) where TBuilder : IEndpointConventionBuilder =>
        builder
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                var checks = http.RequestServices.GetRequiredService<CredentialChecks>();
                var presented = http.Request.Headers[Header].ToString();
                if (presented.Length == 0) return Problems.Unauthenticated($"Provide an API key in the {Header} header.");
                if (!checks.TryAcquire(http, presented, out var retryAfter)) return RetryAfterResult.RateLimited(retryAfter);
                var key = await checks.ActiveApiKeyAsync(http, presented);
                if (key is null) return Problems.Unauthenticated("The API key is unknown or revoked.");
                // Tools written for LangSmith's API may name the organization; it must be the key's.
                var named = http.Request.Headers[OrganizationHeader].ToString();
                if (named.Length > 0 && !(Ids.TryNormalizeUuid(named, out var orgId) && orgId == key.OrgId))
                    return Problems.Forbidden($"The {OrganizationHeader} header names another organization than this API key's.");
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
