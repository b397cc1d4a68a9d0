namespace Beacon.Api.Http;

/// <summary>Endpoint metadata: the answer needs no storage (pages, the meter catalog, the OpenAPI document), so it never waits for it.</summary>
public sealed class NeedsNoStorage
{
    public static NeedsNoStorage Instance { get; } = new();
}
