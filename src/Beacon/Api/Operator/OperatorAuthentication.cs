using Beacon.Api.Access;

namespace Beacon.Api.Operator;

/// <summary>
/// Operator endpoints take an operator key in <c>X-Operator-Key</c> and nothing else: customer API keys
/// and licenses are refused whatever header carries them, and operator keys are refused by every
/// customer endpoint (their prefix is not an API key's or a license's). Revoked keys stop working
/// within the credential cache's lifetime (≤ 60 s). Rate limits as for customers. See <see cref="OperatorKeyHandler"/>.
/// </summary>
internal static class OperatorAuthentication
{
    public const string Header = "X-Operator-Key";

    public static TBuilder RequireOperatorKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder
            .RequireAuthorization(CredentialSchemes.OperatorPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
