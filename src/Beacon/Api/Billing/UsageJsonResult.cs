using System.Reflection;
using System.Text.Json;
using Beacon.Storage.Query;
using Microsoft.AspNetCore.Http.Metadata;

namespace Beacon.Api.Billing;

/// <summary>
/// The JSON answer of the granular usage endpoint (SPEC §5): stride, then one record per (bucket,
/// dimension value). Built completely before its first byte is sent, so a storage fault part-way is
/// still a 503 and a 200 is always a whole answer (its size is bounded by the query limits).
/// </summary>
internal sealed class UsageJsonResult(PreparedQuery prepared, UsageQueryEngine engine, Beacon.Domain.Meters.MeterCatalog catalog) : IResult, IEndpointMetadataProvider
{
    public async Task ExecuteAsync(HttpContext http)
    {
        var (orgId, query, names, coverage, defaultWorkspace) = prepared;
        var ct = http.RequestAborted;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(16 * 1024);
        await using (var json = new Utf8JsonWriter(buffer))
        {
            await WriteAsync(json, orgId, query, names, coverage, defaultWorkspace, ct);
        }
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.ContentLength = buffer.WrittenCount;
        await http.Response.Body.WriteAsync(buffer.WrittenMemory, ct);
    }

    private async Task WriteAsync(Utf8JsonWriter json, string orgId, Beacon.Domain.Query.UsageQuery query, DimensionNames names,
        RollupCoverage coverage, Beacon.Domain.Query.DefaultWorkspace defaultWorkspace, CancellationToken ct)
    {
        json.WriteStartObject();
        json.WriteStartObject("stride");
        json.WriteNumber("days", query.StrideDays);
        json.WriteNumber("hours", 0);
        json.WriteEndObject();
        json.WriteStartArray("usage");
        await foreach (var record in engine.RunAsync(orgId, query, coverage, defaultWorkspace, ct))
            UsageJson.WriteRecord(json, catalog, query, record, names.Label(record.DimensionValue));
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(UsageAnswer), ["application/json"]));
}
