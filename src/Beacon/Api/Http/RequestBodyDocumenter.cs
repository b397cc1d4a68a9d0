using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Beacon.Api.Http;

/// <summary>Writes each endpoint's <see cref="RequestBodyDoc"/> into its OpenAPI operation, the schema generated from the body's record.</summary>
internal sealed class RequestBodyDocumenter : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestBodyDoc>().LastOrDefault() is not { } doc) return;
        IOpenApiSchema schema = doc.Shape is { } shape
            ? await context.GetOrCreateSchemaAsync(shape, null, cancellationToken)
            : new OpenApiSchema { Type = JsonSchemaType.String };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = doc.Description,
            Content = doc.ContentTypes.ToDictionary(t => t, _ => new OpenApiMediaType { Schema = schema }),
        };
    }
}
