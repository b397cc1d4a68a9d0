using System.Text;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Beacon.Storage.Exports;

/// <summary>
/// A write-only stream that uploads a block blob in fixed-size blocks and makes it visible with one
/// commit of the block list in <see cref="CommitAsync"/>. Memory is one block, whatever the blob size.
/// Nothing is visible until the commit: an upload that fails or is abandoned leaves the old blob in
/// place (the SDK's own write stream commits on dispose, which would publish a truncated file). Block
/// ids are random per upload, so two writers of the same blob can never interleave each other's blocks.
/// </summary>
public sealed class StagedUploadStream(BlockBlobClient blob, string contentType, IDictionary<string, string> metadata, int blockSize = 4 * 1024 * 1024) : Stream
{
    private readonly byte[] _buffer = new byte[blockSize];
    private readonly string _upload = Guid.NewGuid().ToString("N");
    private readonly List<string> _blockIds = [];
    private int _filled;
    private long _written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0)
        {
            int n = Math.Min(buffer.Length, _buffer.Length - _filled);
            buffer[..n].CopyTo(_buffer.AsMemory(_filled));
            _filled += n;
            _written += n;
            buffer = buffer[n..];
            if (_filled == _buffer.Length) await StageAsync(cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Flushing does not upload: only full blocks and the final commit do.</summary>
    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Uploads the last block and commits the list: the blob now has exactly what was written.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        if (_filled > 0 || _blockIds.Count == 0) await StageAsync(ct);
        await blob.CommitBlockListAsync(_blockIds, new CommitBlockListOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            Metadata = metadata,
        }, ct);
    }

    private async Task StageAsync(CancellationToken ct)
    {
        // Ids must have equal length within a blob: the upload's id plus a fixed-width sequence number.
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{_upload}-{_blockIds.Count:D6}"));
        using var block = new MemoryStream(_buffer, 0, _filled, writable: false);
        await blob.StageBlockAsync(id, block, cancellationToken: ct);
        _blockIds.Add(id);
        _filled = 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
