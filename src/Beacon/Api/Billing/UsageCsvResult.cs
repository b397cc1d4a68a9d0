using System.Reflection;
using Beacon.Api.Http;
using Beacon.Domain.Csv;
using Beacon.Domain.Query;
using Beacon.Storage.Exports;
using Beacon.Storage.Query;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Beacon.Api.Billing;

/// <summary>
/// The CSV export (SPEC §5): a staged file when one is certain to be byte-identical to the live answer,
/// otherwise the live answer, streamed so memory does not grow with the row count. A fault before the
/// first byte is a 503 like anywhere else; a fault after it aborts the connection, so the client sees
/// a broken transfer (no final chunk, or fewer bytes than Content-Length), never a short file that
/// looks complete.
/// </summary>
internal sealed class UsageCsvResult(PreparedQuery prepared, UsageQueryEngine engine, StagedExports staged, UsageCsvWriter csv) : IResult, IEndpointMetadataProvider
{
    public const string SourceHeader = "X-Beacon-Export-Source";

    public async Task ExecuteAsync(HttpContext http)
    {
        try
        {
            await WriteAsync(http);
        }
        catch (Exception) when (http.Response.HasStarted)
        {
            http.Abort();
            throw;
        }
    }

    private async Task WriteAsync(HttpContext http)
    {
        var (orgId, query, names, coverage, defaultWorkspace) = prepared;
        var ct = http.RequestAborted;
        // Storage is read while the answer streams: it starts only if the request's deadline has not passed.
        var body = http.Features.Get<StorageDeadline>() is { } deadline ? new FirstWriteGate(http.Response.Body, deadline.StartStreaming) : http.Response.Body;
        await using (var file = await staged.TryOpenAsync(orgId, query, names, coverage, defaultWorkspace, ct))
        {
            if (file is not null)
            {
                SetHeaders(http.Response, query, "staged");
                http.Response.ContentLength = file.Length;
                await file.Content.CopyToAsync(body, ct);
                return;
            }
        }
        SetHeaders(http.Response, query, "live");
        await csv.WriteAsync(body, query, engine.RunAsync(orgId, query, coverage, defaultWorkspace, ct), names.Label, ct);
    }

    private static void SetHeaders(HttpResponse response, UsageQuery query, string source)
    {
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = CsvLayout.FileName(query) }.ToString();
        // Diagnostics: whether this answer came from a staged blob or was computed now.
        response.Headers[SourceHeader] = source;
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["text/csv"]));
}
