using System.Text.Json;

namespace Beacon.Api.Reporting;

/// <summary>
/// A reporting call after its filter ran: the parsed body (bounded in size, valid JSON) and the
/// authenticated caller. Scoped to the request; the filter disposes the body when the handler is done.
/// </summary>
internal sealed class ReportingRequest
{
    private JsonDocument? _body;
    private ReportingCaller? _caller;

    public JsonElement Body => (_body ?? throw Missing()).RootElement;

    public ReportingCaller Caller => _caller ?? throw Missing();

    internal void Set(JsonDocument body, ReportingCaller caller) => (_body, _caller) = (body, caller);

    private static InvalidOperationException Missing() => new("No reporting caller: the endpoint is missing RequireReporter().");
}
