using System.Reflection;
using Google.Protobuf;
using Microsoft.AspNetCore.Http.Metadata;

namespace Beacon.Api.Telemetry;

/// <summary>An OTLP/HTTP success: 200 with the Export*ServiceResponse in the request's encoding (empty unless something was rejected).</summary>
internal sealed class OtlpResult(IMessage response, OtlpEncoding encoding) : IResult, IEndpointMetadataProvider
{
    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        if (encoding == OtlpEncoding.Protobuf)
        {
            http.Response.ContentType = "application/x-protobuf";
            await http.Response.Body.WriteAsync(response.ToByteArray(), http.RequestAborted);
        }
        else
        {
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(JsonFormatter.Default.Format(response), http.RequestAborted);
        }
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(void), ["application/x-protobuf", "application/json"]));
}
