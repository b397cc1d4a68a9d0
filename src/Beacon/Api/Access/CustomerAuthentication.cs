namespace Beacon.Api.Access;

/// <summary>
/// Customer endpoints authenticate with <c>X-Api-Key</c> (<see cref="ApiKeyHandler"/>); the usage endpoints
/// also need the key's <c>organization:read</c> permission. The handler never sees an unauthenticated call.
/// </summary>
internal static class CustomerAuthentication
{
    public const string Header = "X-Api-Key";
    public const string OrganizationHeader = "X-Organization-Id";

    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, bool readUsage) where TBuilder : IEndpointConventionBuilder =>
        builder
            .RequireAuthorization(readUsage ? CredentialSchemes.ReadUsagePolicy : CredentialSchemes.ApiKeyPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
