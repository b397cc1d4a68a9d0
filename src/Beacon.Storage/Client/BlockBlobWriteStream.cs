using System.Globalization;
using System.Text;
using Azure;

namespace Beacon.Storage.Client;

/// <summary>
/// A write-only stream that uploads a block blob in fixed-size blocks (Put Block) and makes it visible
/// with one Put Block List on <see cref="CommitAsync"/>. Memory is one block, whatever the blob size.
/// </summary>
public sealed class BlockBlobWriteStream : Stream
{
    private readonly BlobContainerClient _container;
    private readonly string _blob;
    private readonly string _contentType;
    private readonly IReadOnlyDictionary<string, string>? _metadata;
    private readonly byte[] _buffer;
    private readonly List<string> _blockIds = [];
    private int _filled;
    private long _written;

    internal BlockBlobWriteStream(BlobContainerClient container, string blob, string contentType, IReadOnlyDictionary<string, string>? metadata, int blockSize)
    {
        _container = container;
        _blob = blob;
        _contentType = contentType;
        _metadata = metadata;
        _buffer = new byte[blockSize];
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0)
        {
            int n = Math.Min(buffer.Length, _buffer.Length - _filled);
            buffer[..n].CopyTo(_buffer.AsMemory(_filled));
            _filled += n;
            _written += n;
            buffer = buffer[n..];
            if (_filled == _buffer.Length) await UploadBlockAsync(cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Uploads the last partial block and commits the block list; returns the blob's new ETag.</summary>
    public async Task<ETag> CommitAsync(CancellationToken ct = default)
    {
        if (_filled > 0 || _blockIds.Count == 0) await UploadBlockAsync(ct);
        return await _container.PutBlockListAsync(_blob, _blockIds, _contentType, _metadata, ct);
    }

    private async Task UploadBlockAsync(CancellationToken ct)
    {
        // Block ids must all have the same length before encoding.
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes(_blockIds.Count.ToString("D8", CultureInfo.InvariantCulture)));
        await _container.PutBlockAsync(_blob, id, _buffer.AsMemory(0, _filled), ct);
        _blockIds.Add(id);
        _filled = 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
