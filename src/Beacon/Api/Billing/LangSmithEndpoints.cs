using Beacon.Api.Access;
using Beacon.Storage.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Billing;

/// <summary>
/// The two calls tools written for LangSmith's API make before the granular ones (SPEC §5): the key's
/// organization, then the workspaces it can read — so such a tool, pointed at Beacon, finds the
/// workspace ids it then asks usage for.
/// </summary>
internal static class LangSmithEndpoints
{
    public static IEndpointRouteBuilder MapLangSmithEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/orgs/current", OrganizationAsync)
            .WithName("CurrentOrganization")
            .WithTags("Billing")
            .WithSummary("The API key's organization (id, display_name), as LangSmith's API answers it.")
            .RequireApiKey(readUsage: false);
        app.MapGet("/api/v1/workspaces", WorkspacesAsync)
            .WithName("WorkspaceList")
            .WithTags("Billing")
            .WithSummary("The workspaces this API key can read (id, display_name, organization_id), as LangSmith's API answers it.")
            .RequireApiKey(readUsage: true);
        return app;
    }

    private static async Task<Ok<OrganizationInfo>> OrganizationAsync(CustomerCaller caller, DirectoryStore directory, CancellationToken ct)
    {
        var org = await directory.GetOrgAsync(caller.Key.OrgId, ct) ?? throw new InvalidOperationException($"The API key's organization {caller.Key.OrgId} does not exist.");
        var defaultWorkspace = await directory.EnsureDefaultWorkspaceAsync(org, ct);
        return TypedResults.Ok(new OrganizationInfo(org.OrgId, org.Name, false, (org.CreatedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? $"{org.CreatedDay:yyyy-MM-dd}T00:00:00Z"), defaultWorkspace.WorkspaceId));
    }

    private static async Task<Ok<IReadOnlyList<WorkspaceInfo>>> WorkspacesAsync(CustomerCaller caller, UsageAccess access, DirectoryStore directory, CancellationToken ct)
    {
        var key = caller.Key;
        var defaultWorkspace = await directory.GetDefaultWorkspaceAsync(key.OrgId, ct);
        var workspaces = await access.ReadableWorkspacesAsync(key, ct);
        return TypedResults.Ok<IReadOnlyList<WorkspaceInfo>>([.. workspaces.Select(w => new WorkspaceInfo(
            w.WorkspaceId, w.Name.Length > 0 ? w.Name : w.WorkspaceId, key.OrgId, false, w.WorkspaceId == defaultWorkspace?.WorkspaceId))]);
    }
}
