namespace Beacon.Storage.Exports;

/// <summary>A staged export being read: dispose it to release the connection.</summary>
public sealed class StagedFile(Stream content, long length) : IAsyncDisposable
{
    public Stream Content { get; } = content;
    public long Length { get; } = length;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
