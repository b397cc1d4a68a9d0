using Beacon.Api.Access;
using Beacon.Api.Http;

namespace Beacon.Api.Operator;

/// <summary>
/// Operator endpoints take an operator key in <c>X-Operator-Key</c> and nothing else: customer API keys
/// and licenses are refused whatever header carries them, and operator keys are refused by every
/// customer endpoint (their prefix is not an API key's or a license's). Revoked keys stop working
/// within the credential cache's lifetime (≤ 60 s). Rate limits as for customers.
/// </summary>
internal static class OperatorAuthentication
{
    public const string Header = "X-Operator-Key";

    public static TBuilder RequireOperatorKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder
            .AddEndpointFilter(async (context, next) =>
            {
                var http = context.HttpContext;
                var checks = http.RequestServices.GetRequiredService<CredentialChecks>();
                var presented = http.Request.Headers[Header].ToString();
                if (presented.Length == 0) return Problems.Unauthenticated($"Operator endpoints take an operator key in the {Header} header (customer API keys and licenses are not accepted).");
                if (!checks.TryAcquire(http, presented, out var retryAfter)) return RetryAfterResult.RateLimited(retryAfter);
                var key = await checks.ActiveOperatorKeyAsync(http, presented);
                if (key is null) return Problems.Unauthenticated("The operator key is unknown or revoked.");
                http.RequestServices.GetRequiredService<OperatorCaller>().Key = key;
                return await next(context);
            })
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
