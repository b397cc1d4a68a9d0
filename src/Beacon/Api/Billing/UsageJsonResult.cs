using System.Reflection;
using System.Text.Json;
using Beacon.Storage.Query;
using Microsoft.AspNetCore.Http.Metadata;

namespace Beacon.Api.Billing;

/// <summary>The JSON answer of the granular usage endpoint (SPEC §5): stride, then one record per (bucket, dimension value).</summary>
internal sealed class UsageJsonResult(PreparedQuery prepared, UsageQueryEngine engine) : IResult, IEndpointMetadataProvider
{
    public async Task ExecuteAsync(HttpContext http)
    {
        var (orgId, query, names, coverage, defaultWorkspace) = prepared;
        var ct = http.RequestAborted;
        http.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(http.Response.Body);
        json.WriteStartObject();
        json.WriteStartObject("stride");
        json.WriteNumber("days", query.StrideDays);
        json.WriteNumber("hours", 0);
        json.WriteEndObject();
        json.WriteStartArray("usage");
        await foreach (var record in engine.RunAsync(orgId, query, coverage, defaultWorkspace, ct))
        {
            UsageJson.WriteRecord(json, query, record, names.Label(record.DimensionValue));
            if (json.BytesPending > 64 * 1024) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(UsageAnswer), ["application/json"]));
}
