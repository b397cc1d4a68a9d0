using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace Beacon.Storage.Client;

/// <summary>Conditions for a write: create only if absent, or replace only a known version.</summary>
public readonly record struct BlobCondition(ETag? IfMatch = null, bool IfNoneExists = false)
{
    public static BlobCondition CreateOnly => new(IfNoneExists: true);

    public static BlobCondition Matching(ETag etag) => new(IfMatch: etag);
}

/// <summary>A blob's version and metadata.</summary>
public sealed record BlobProperties(ETag ETag, long Length, string ContentType, IReadOnlyDictionary<string, string> Metadata);

/// <summary>A streamed download: dispose it to release the connection.</summary>
public sealed class BlobDownload(Stream content, BlobProperties properties) : IAsyncDisposable, IDisposable
{
    public Stream Content { get; } = content;
    public BlobProperties Properties { get; } = properties;

    public ValueTask DisposeAsync() => Content.DisposeAsync();

    public void Dispose() => Content.Dispose();
}

/// <summary>One blob container over the Blob REST API (block blobs and leases; what Beacon needs).</summary>
public class BlobContainerClient
{
    private readonly StorageAccount _account = null!;

    protected BlobContainerClient() => Name = "";

    internal BlobContainerClient(StorageAccount account, string name)
    {
        _account = account;
        Name = name;
    }

    public string Name { get; }

    private string ContainerUrl => $"{_account.Endpoints.BlobUri.AbsoluteUri.TrimEnd('/')}/{Name}";

    private string BlobUrl(string blob) => $"{ContainerUrl}/{string.Join('/', blob.Split('/').Select(Uri.EscapeDataString))}";

    public virtual async Task CreateIfNotExistsAsync(CancellationToken ct = default)
    {
        using var message = Create(RequestMethod.Put, ContainerUrl + "?restype=container");
        var response = await SendAsync(message, ct);
        if (response.Status is not (201 or 409)) throw StorageErrors.From(response);
    }

    /// <summary>Writes a whole blob in one request. Returns null when <paramref name="condition"/> was not met.</summary>
    public virtual async Task<ETag?> PutAsync(
        string blob, ReadOnlyMemory<byte> content, string contentType, IReadOnlyDictionary<string, string>? metadata = null,
        BlobCondition condition = default, CancellationToken ct = default)
    {
        using var message = Create(RequestMethod.Put, BlobUrl(blob));
        var request = message.Request;
        request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        request.Headers.SetValue("Content-Type", contentType);
        ApplyMetadata(request, metadata);
        ApplyCondition(request, condition);
        request.Content = RequestContent.Create(content);
        var response = await SendAsync(message, ct);
        if (response.Status is 412 || (response.Status == 409 && condition.IfNoneExists)) return null;
        if (response.Status != 201) throw StorageErrors.From(response);
        return ETagOf(response);
    }

    /// <summary>
    /// Opens a stream that uploads what is written to it as blocks of <paramref name="blockSize"/> bytes,
    /// so a blob of any size is written with bounded memory. Nothing is visible until
    /// <see cref="BlockBlobWriteStream.CommitAsync"/>; an uncommitted upload leaves the old blob in place.
    /// </summary>
    public virtual BlockBlobWriteStream OpenWrite(string blob, string contentType, IReadOnlyDictionary<string, string>? metadata = null, int blockSize = 4 * 1024 * 1024) =>
        new(this, blob, contentType, metadata, blockSize);

    internal async Task PutBlockAsync(string blob, string blockId, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        using var message = Create(RequestMethod.Put, BlobUrl(blob) + "?comp=block&blockid=" + Uri.EscapeDataString(blockId));
        message.Request.Headers.SetValue("Content-Type", "application/octet-stream");
        message.Request.Content = RequestContent.Create(data);
        var response = await SendAsync(message, ct);
        if (response.Status != 201) throw StorageErrors.From(response);
    }

    internal async Task<ETag> PutBlockListAsync(string blob, IReadOnlyList<string> blockIds, string contentType, IReadOnlyDictionary<string, string>? metadata, CancellationToken ct)
    {
        var xml = new XElement("BlockList", blockIds.Select(id => new XElement("Latest", id))).ToString(SaveOptions.DisableFormatting);
        using var message = Create(RequestMethod.Put, BlobUrl(blob) + "?comp=blocklist");
        message.Request.Headers.SetValue("x-ms-blob-content-type", contentType);
        message.Request.Headers.SetValue("Content-Type", "application/xml");
        ApplyMetadata(message.Request, metadata);
        message.Request.Content = RequestContent.Create(System.Text.Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + xml));
        var response = await SendAsync(message, ct);
        if (response.Status != 201) throw StorageErrors.From(response);
        return ETagOf(response);
    }

    /// <summary>Streams a blob's content; null when it does not exist.</summary>
    public virtual async Task<BlobDownload?> DownloadAsync(string blob, CancellationToken ct = default)
    {
        using var message = Create(RequestMethod.Get, BlobUrl(blob));
        message.BufferResponse = false;
        var response = await SendAsync(message, ct);
        if (response.Status == 404) return null;
        if (response.Status != 200) throw StorageErrors.From(response);
        var properties = PropertiesOf(response);
        var stream = message.ExtractResponseContent() ?? Stream.Null;
        return new BlobDownload(new CountingReadStream(stream), properties);
    }

    /// <summary>The blob's ETag, length and metadata; null when it does not exist.</summary>
    public virtual async Task<BlobProperties?> GetPropertiesAsync(string blob, CancellationToken ct = default)
    {
        using var message = Create(RequestMethod.Head, BlobUrl(blob));
        var response = await SendAsync(message, ct);
        if (response.Status == 404) return null;
        if (response.Status != 200) throw StorageErrors.From(response);
        return PropertiesOf(response);
    }

    public virtual async Task<bool> DeleteAsync(string blob, CancellationToken ct = default)
    {
        using var message = Create(RequestMethod.Delete, BlobUrl(blob));
        var response = await SendAsync(message, ct);
        if (response.Status == 404) return false;
        if (response.Status != 202) throw StorageErrors.From(response);
        return true;
    }

    /// <summary>Names of the blobs that start with <paramref name="prefix"/>, following markers.</summary>
    public virtual async IAsyncEnumerable<string> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken ct = default)
    {
        string? marker = null;
        do
        {
            var url = $"{ContainerUrl}?restype=container&comp=list&prefix={Uri.EscapeDataString(prefix)}";
            if (!string.IsNullOrEmpty(marker)) url += "&marker=" + Uri.EscapeDataString(marker);
            List<string> names;
            using (var message = Create(RequestMethod.Get, url))
            {
                var response = await SendAsync(message, ct);
                if (response.Status != 200) throw StorageErrors.From(response);
                var doc = XDocument.Parse(response.Content.ToString());
                names = [.. doc.Descendants("Blob").Select(b => (string?)b.Element("Name") ?? "")];
                marker = (string?)doc.Root?.Element("NextMarker");
            }
            foreach (var n in names) yield return n;
        }
        while (!string.IsNullOrEmpty(marker));
    }

    /// <summary>Takes a lease (15–60 s, or -1 for infinite); null when another holder has it.</summary>
    public virtual async Task<string?> AcquireLeaseAsync(string blob, TimeSpan duration, CancellationToken ct = default)
    {
        using var message = Lease(blob, "acquire");
        message.Request.Headers.SetValue("x-ms-lease-duration", ((int)duration.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.Request.Headers.SetValue("x-ms-proposed-lease-id", Guid.NewGuid().ToString("D"));
        var response = await SendAsync(message, ct);
        if (response.Status == 409) return null;
        if (response.Status != 201) throw StorageErrors.From(response);
        return response.Headers.TryGetValue("x-ms-lease-id", out var id) ? id : null;
    }

    /// <summary>Extends a held lease; false when it was lost (expired and taken, or broken).</summary>
    public virtual async Task<bool> RenewLeaseAsync(string blob, string leaseId, CancellationToken ct = default)
    {
        using var message = Lease(blob, "renew", leaseId);
        var response = await SendAsync(message, ct);
        if (response.Status is 409 or 412) return false;
        if (response.Status != 200) throw StorageErrors.From(response);
        return true;
    }

    public virtual async Task ReleaseLeaseAsync(string blob, string leaseId, CancellationToken ct = default)
    {
        using var message = Lease(blob, "release", leaseId);
        var response = await SendAsync(message, ct);
        if (response.Status is not (200 or 409 or 412)) throw StorageErrors.From(response);
    }

    private HttpMessage Lease(string blob, string action, string? leaseId = null)
    {
        var message = Create(RequestMethod.Put, BlobUrl(blob) + "?comp=lease");
        message.Request.Headers.SetValue("x-ms-lease-action", action);
        if (leaseId is not null) message.Request.Headers.SetValue("x-ms-lease-id", leaseId);
        return message;
    }

    private HttpMessage Create(RequestMethod method, string url)
    {
        var message = _account.BlobPipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(url));
        return message;
    }

    private async Task<Response> SendAsync(HttpMessage message, CancellationToken ct)
    {
        await _account.BlobPipeline.SendAsync(message, ct);
        return message.Response;
    }

    private static void ApplyMetadata(Request request, IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null) return;
        foreach (var (k, v) in metadata) request.Headers.SetValue("x-ms-meta-" + k, v);
    }

    private static void ApplyCondition(Request request, BlobCondition condition)
    {
        if (condition.IfNoneExists) request.Headers.SetValue("If-None-Match", "*");
        if (condition.IfMatch is { } etag) request.Headers.SetValue("If-Match", etag.ToString());
    }

    private static BlobProperties PropertiesOf(Response response)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in response.Headers)
            if (h.Name.StartsWith("x-ms-meta-", StringComparison.OrdinalIgnoreCase))
                metadata[h.Name["x-ms-meta-".Length..].ToLowerInvariant()] = h.Value;
        response.Headers.TryGetValue("Content-Type", out var type);
        long length = response.Headers.ContentLength ?? 0;
        return new BlobProperties(ETagOf(response), length, type ?? "", metadata);
    }

    private static ETag ETagOf(Response response) =>
        response.Headers.TryGetValue("ETag", out var e) && e is not null ? new ETag(e) : default;

    /// <summary>A pass-through stream; exists so the network stream's owner is explicit.</summary>
    private sealed class CountingReadStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
