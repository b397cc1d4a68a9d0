namespace Beacon.Api.Http;

/// <summary>
/// A response body that runs <paramref name="beforeFirstByte"/> once, before its first byte (write or flush); the
/// action may refuse the start by throwing, and nothing is sent. The CSV export, which reads storage while it
/// streams, passes <see cref="StorageDeadline.StartStreaming"/>: it starts only if the request's deadline has not
/// passed, and is otherwise a 503 like any answer that has not started.
/// </summary>
internal sealed class FirstWriteGate(Stream inner, Action beforeFirstByte) : Stream
{
    private bool _open;

    private void Open()
    {
        if (_open) return;
        beforeFirstByte();
        _open = true;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Flush()
    {
        Open();
        inner.Flush();
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Open();
        return inner.FlushAsync(cancellationToken);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Open();
        inner.Write(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Open();
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
