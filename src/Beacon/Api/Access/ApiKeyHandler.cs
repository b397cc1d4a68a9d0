using System.Text.Encodings.Web;
using Beacon.Api.Http;
using Beacon.Domain;
using Beacon.Domain.Credentials;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Beacon.Api.Access;

/// <summary>
/// Customer endpoints authenticate with <c>X-Api-Key</c>, and an optional <c>X-Organization-Id</c> that must
/// name the key's org (tools written for LangSmith's API send it). The key's permissions become claims; the
/// usage endpoints' policy requires <c>organization:read</c>.
/// </summary>
internal sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : CredentialHandler(options, logger, encoder)
{
    protected override string Header => CustomerAuthentication.Header;

    protected override string MissingMessage => $"Provide an API key in the {CustomerAuthentication.Header} header.";

    protected override async Task<CredentialOutcome> CheckAsync(CredentialChecks checks, string presented)
    {
        var key = await checks.ActiveApiKeyAsync(Context, presented);
        if (key is null) return CredentialOutcome.Refuse(Problems.Unauthenticated("The API key is unknown or revoked."));
        var named = Request.Headers[CustomerAuthentication.OrganizationHeader].ToString();
        if (named.Length > 0 && !(Ids.TryNormalizeUuid(named, out var orgId) && orgId == key.OrgId))
            return CredentialOutcome.Refuse(Problems.Forbidden($"The {CustomerAuthentication.OrganizationHeader} header names another organization than this API key's."));
        return CredentialOutcome.Accept(new CustomerCaller(key), key.KeyId, key.CanReadUsage ? [ApiKeyRecord.OrganizationRead] : []);
    }

    protected override IResult Forbidden() => Problems.Forbidden($"This API key lacks the {ApiKeyRecord.OrganizationRead} permission.");
}
