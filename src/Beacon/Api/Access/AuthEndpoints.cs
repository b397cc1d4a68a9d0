using Beacon.Domain.Credentials;
using Beacon.Storage.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Access;

/// <summary><c>POST /auth</c> (SPEC §4.3): API key verification for deployments that use one.</summary>
internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/auth", AuthAsync)
            .WithName("Auth")
            .WithTags("Licensing")
            .WithSummary("Verify an X-Api-Key and return its organization's configuration.")
            .RequireApiKey(readUsage: false);
        return app;
    }

    private static async Task<Ok<AuthResponse>> AuthAsync(CustomerCaller caller, DirectoryStore directory, CredentialStore credentials, TimeProvider time, CancellationToken ct)
    {
        var key = caller.Key;
        var org = await directory.GetOrgAsync(key.OrgId, ct);
        var plan = LicenseRecord.CurrentPlan(await credentials.ListLicensesAsync(key.OrgId, ct), time.GetUtcNow());
        return TypedResults.Ok(new AuthResponse(new OrgConfig(key.OrgId, org?.Name, plan, key.ShortKey, key.Permissions, key.WorkspaceScope)));
    }
}
