using Microsoft.OpenApi;

namespace Beacon.Api.Billing;

/// <summary>
/// Documents the granular usage query parameters in the OpenAPI document. The handlers read them from
/// the query string themselves (so <c>workspace_ids</c> may repeat or be comma-separated, and every bad
/// parameter is reported at once), which leaves nothing for the generator to infer them from.
/// </summary>
internal static class UsageQueryParameters
{
    private static readonly (string Name, bool Required, string Description)[] Parameters =
    [
        ("start_time", true, "ISO 8601 date-time with an offset, or a date; rounded down to its UTC midnight."),
        ("end_time", true, "ISO 8601 date-time with an offset, or a date; rounded up to the next UTC midnight. At most 5 years after start_time."),
        ("workspace_ids", true, "Workspace UUIDs: repeat the parameter or separate them with commas. At least one."),
        ("kind", false, "traces (default) or langsmith_deployments."),
        ("group_by", false, "workspace (default), project, user, api_key, trace_tier (traces only), or license (JSON only: the license that reported the usage, null for usage reported with an API key only)."),
        ("trace_tier", false, "longlived or shortlived (traces only; ignored for deployments)."),
    ];

    public static RouteHandlerBuilder WithUsageQueryParameters(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var (name, required, description) in Parameters)
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = name, In = ParameterLocation.Query, Required = required, Description = description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            return Task.CompletedTask;
        });
}
