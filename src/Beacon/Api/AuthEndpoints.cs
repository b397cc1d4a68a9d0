using Beacon.Storage.Stores;

namespace Beacon.Api;

/// <summary><c>POST /auth</c> (SPEC §4.3): API key verification for deployments that use one.</summary>
internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/auth", AuthAsync)
            .WithName("Auth")
            .WithSummary("Verify an X-Api-Key and return its organization's configuration.");
        return app;
    }

    private static async Task<IResult> AuthAsync(HttpRequest request, Callers callers, DirectoryStore directory, CredentialStore credentials, TimeProvider time, CancellationToken ct)
    {
        var (key, problem) = await callers.AuthenticateApiKeyAsync(request, ct);
        if (problem is not null) return problem;
        var org = await directory.GetOrgAsync(key!.OrgId, ct);
        var now = time.GetUtcNow();
        // The org's plan is that of its newest usable license.
        var plan = (await credentials.ListLicensesAsync(key.OrgId, ct))
            .Where(l => l.RefusalReason(now) is null)
            .OrderByDescending(l => l.CreatedAt)
            .Select(l => l.Plan)
            .FirstOrDefault();
        return TypedResults.Ok(new
        {
            org_config = new
            {
                org_id = key.OrgId,
                org_name = org?.Name,
                plan,
                api_key_short_key = key.ShortKey,
                permissions = key.Permissions,
                workspace_ids = key.WorkspaceScope,
            },
        });
    }
}
