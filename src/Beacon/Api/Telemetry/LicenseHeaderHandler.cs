using System.Text.Encodings.Web;
using Beacon.Api.Access;
using Beacon.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Beacon.Api.Telemetry;

/// <summary>
/// OTLP exporters authenticate with the header <c>X-Langchain-License-Key</c> (SPEC §4.7): missing or
/// unknown → 401, suspended or revoked → 403, over the license's rate → 429 with <c>Retry-After</c>.
/// </summary>
internal sealed class LicenseHeaderHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : CredentialHandler(options, logger, encoder)
{
    protected override string Header => TelemetryAuthentication.Header;

    protected override string MissingMessage => $"Provide the license key in the {TelemetryAuthentication.Header} header.";

    protected override async Task<CredentialOutcome> CheckAsync(CredentialChecks checks, string presented)
    {
        var check = await checks.LicenseAsync(Context, presented);
        if (check.IsUnknown) return CredentialOutcome.Refuse(Problems.Unauthenticated("The license key is unknown or malformed."));
        if (!check.IsUsable) return CredentialOutcome.Refuse(Problems.LicenseNotActive(check.RefusedBecause!));
        return CredentialOutcome.Accept(new TelemetryCaller(check.License!), check.License!.LicenseId);
    }
}
