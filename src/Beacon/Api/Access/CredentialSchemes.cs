namespace Beacon.Api.Access;

/// <summary>
/// Beacon's authentication schemes and authorization policies, the ASP.NET Core way: each credential kind is
/// a scheme, each kind of endpoint a policy. Endpoints say which policy they need (RequireApiKey,
/// RequireOperatorKey, RequireLicenseHeader) and take the caller as a parameter. The reporting endpoints are
/// the exception: their credential is in the JSON body, which authentication does not read
/// (<see cref="Reporting.ReporterAuthentication"/>). Hosting registers the schemes and policies
/// (ServiceRegistration.AddBeaconApi): the handlers live with their features, which use this namespace.
/// </summary>
internal static class CredentialSchemes
{
    public const string ApiKey = "ApiKey";
    public const string OperatorKey = "OperatorKey";
    public const string LicenseHeader = "LicenseHeader";

    /// <summary>Policies: an API key; an API key with organization:read; an operator key; a usable license in the header.</summary>
    public const string ApiKeyPolicy = "api-key", ReadUsagePolicy = "api-key-read-usage", OperatorPolicy = "operator-key", LicensePolicy = "license-header";
}
