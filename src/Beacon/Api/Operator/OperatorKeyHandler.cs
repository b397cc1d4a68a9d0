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
    protected override async Task<CredentialOutcome> CheckAsync(CredentialChecks checks)
    {
        var presented = Request.Headers[OperatorAuthentication.Header].ToString();
        if (presented.Length == 0)
            return CredentialOutcome.Refuse(Problems.Unauthenticated($"Operator endpoints take an operator key in the {OperatorAuthentication.Header} header (customer API keys and licenses are not accepted)."));
        if (!checks.TryAcquire(Context, presented, out var retryAfter)) return CredentialOutcome.Refuse(RetryAfterResult.RateLimited(retryAfter));
        var key = await checks.ActiveOperatorKeyAsync(Context, presented);
        return key is null
            ? CredentialOutcome.Refuse(Problems.Unauthenticated("The operator key is unknown or revoked."))
            : CredentialOutcome.Accept(new OperatorCaller(key), key.OperatorId);
    }
}
