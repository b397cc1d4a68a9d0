using System.Security.Claims;
using System.Text.Encodings.Web;
using Beacon.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Beacon.Api.Access;

/// <summary>
/// What Beacon's three credential schemes (API key, operator key, license header) share. A scheme checks the
/// presented secret and either accepts it — the caller (the key's or license's record) goes into the request's
/// features, where an endpoint parameter binds it — or refuses it with the problem the client gets: 401,
/// 403 for a suspended license or a foreign organization, 429 with Retry-After. The refusal is kept until
/// the authorization middleware challenges, which writes it unchanged. A handler lives for one request.
/// </summary>
internal abstract class CredentialHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The claim an API key carries for each permission it has (the read-usage policy requires it).</summary>
    public const string PermissionClaim = "permission";

    private IResult? _refusal;

    protected sealed override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var checks = Context.RequestServices.GetRequiredService<CredentialChecks>();
        var presented = Request.Headers[Header].ToString();
        var outcome = presented.Length == 0 ? CredentialOutcome.Refuse(Problems.Unauthenticated(MissingMessage))
            // The rate limit comes before any storage read: a flood of guesses costs no lookups.
            : !checks.TryAcquire(Context, presented, out var retryAfter) ? CredentialOutcome.Refuse(RetryAfterResult.RateLimited(retryAfter))
            : await CheckAsync(checks, presented);
        if (outcome.Refusal is { } refusal)
        {
            _refusal = refusal;
            return AuthenticateResult.NoResult();
        }
        var caller = outcome.Caller!;
        Context.Features[caller.GetType()] = caller;
        var identity = new ClaimsIdentity(Scheme.Name);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, outcome.Id!));
        foreach (var permission in outcome.Permissions) identity.AddClaim(new Claim(PermissionClaim, permission));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    /// <summary>The header the scheme's credential comes in.</summary>
    protected abstract string Header { get; }

    /// <summary>The 401's detail when the header is missing or empty.</summary>
    protected abstract string MissingMessage { get; }

    /// <summary>Looks the presented credential up (it is present, and within its rate) and decides.</summary>
    protected abstract Task<CredentialOutcome> CheckAsync(CredentialChecks checks, string presented);

    /// <summary>The problem for an authenticated caller that a policy refuses.</summary>
    protected virtual IResult Forbidden() => Problems.Forbidden("This credential may not use this endpoint.");

    protected sealed override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        (_refusal ?? Problems.Unauthenticated("Authentication is required.")).ExecuteAsync(Context);

    protected sealed override Task HandleForbiddenAsync(AuthenticationProperties properties) => Forbidden().ExecuteAsync(Context);
}
