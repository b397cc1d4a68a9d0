using System.Text.Encodings.Web;
using Beacon.Api.Access;
using Beacon.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Beacon.Api.Operator;

/// <summary>Operator endpoints take an operator key in <c>X-Operator-Key</c> and nothing else (<see cref="OperatorAuthentication"/>).</summary>
internal sealed class OperatorKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : CredentialHandler(options, logger, encoder)
{
    protected override string Header => OperatorAuthentication.Header;

    protected override string MissingMessage =>
        $"Operator endpoints take an operator key in the {OperatorAuthentication.Header} header (customer API keys and licenses are not accepted).";

    protected override async Task<CredentialOutcome> CheckAsync(CredentialChecks checks, string presented)
    {
        var key = await checks.ActiveOperatorKeyAsync(Context, presented);
        return key is null
            ? CredentialOutcome.Refuse(Problems.Unauthenticated("The operator key is unknown or revoked."))
            : CredentialOutcome.Accept(new OperatorCaller(key), key.OperatorId);
    }
}
