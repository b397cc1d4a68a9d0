namespace Beacon.Api.Http;

/// <summary>Endpoint conventions that describe a request body in the OpenAPI document (<see cref="RequestBodyDoc"/>).</summary>
internal static class RequestBodyDocs
{
    /// <summary>A JSON body of <typeparamref name="TBody"/>'s shape (names in snake_case, as the API reads them).</summary>
    public static TBuilder DescribesJsonBody<TBuilder, TBody>(this TBuilder builder, string? description = null) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestBodyDoc(typeof(TBody), ["application/json"], description));

    /// <summary>A body described by its media types only (OTLP's protobuf and JSON, a CSV file).</summary>
    public static TBuilder DescribesBody<TBuilder>(this TBuilder builder, string description, params string[] contentTypes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestBodyDoc(null, contentTypes, description));
}
