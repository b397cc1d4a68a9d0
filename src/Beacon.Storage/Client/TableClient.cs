using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Core;

namespace Beacon.Storage.Client;

public enum TableUpdateMode
{
    /// <summary>The stored entity becomes exactly the given one.</summary>
    Replace,

    /// <summary>The given properties are written; others stay.</summary>
    Merge,
}

/// <summary>
/// One Azure Table over its REST API (modelled on Azure.Data.Tables' TableClient). Members are virtual
/// and a protected constructor exists so tests can force failures Azurite cannot produce.
/// </summary>
public class TableClient
{
    private const string Accept = "application/json;odata=minimalmetadata";
    private static readonly RequestMethod Merge = new("MERGE");
    private readonly StorageAccount _account = null!;

    protected TableClient() => Name = "";

    internal TableClient(StorageAccount account, string name)
    {
        _account = account;
        Name = name;
    }

    public string Name { get; }

    internal string TableUrl => $"{_account.Endpoints.TableUri.AbsoluteUri.TrimEnd('/')}/{Name}";

    internal string EntityUrl(string pk, string rk) => $"{TableUrl}(PartitionKey='{EscapeKey(pk)}',RowKey='{EscapeKey(rk)}')";

    private static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    public virtual async Task CreateIfNotExistsAsync(CancellationToken ct = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = Name });
        using var message = Create(RequestMethod.Post, $"{_account.Endpoints.TableUri.AbsoluteUri.TrimEnd('/')}/Tables", body);
        var response = await SendAsync(message, ct);
        if (response.Status is not (201 or 204 or 409)) throw StorageErrors.From(response);
    }

    /// <summary>Inserts a new entity; throws <see cref="RequestFailedException"/> with 409 if it exists.</summary>
    public virtual async Task<ETag> InsertAsync(TableEntity entity, CancellationToken ct = default) =>
        await TryInsertAsync(entity, ct) ?? throw new RequestFailedException(409, "The entity already exists.", "EntityAlreadyExists", null);

    /// <summary>Inserts a new entity; null when an entity with the same keys exists (the dedupe primitive).</summary>
    public virtual async Task<ETag?> TryInsertAsync(TableEntity entity, CancellationToken ct = default)
    {
        using var message = Create(RequestMethod.Post, TableUrl, entity.ToJson());
        var response = await SendAsync(message, ct);
        if (response.Status == 409) return null;
        if (response.Status is not (201 or 204)) throw StorageErrors.From(response);
        _account.Metrics.CountWritten(1);
        return ETagOf(response);
    }

    /// <summary>Inserts or replaces/merges without any condition (last writer wins).</summary>
    public virtual async Task<ETag> UpsertAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Replace, CancellationToken ct = default)
    {
        using var message = Create(mode == TableUpdateMode.Replace ? RequestMethod.Put : Merge, EntityUrl(entity.PartitionKey, entity.RowKey), entity.ToJson());
        var response = await SendAsync(message, ct);
        if (response.Status is not 204) throw StorageErrors.From(response);
        _account.Metrics.CountWritten(1);
        return ETagOf(response);
    }

    /// <summary>
    /// Updates an existing entity only if its ETag still matches; returns the new ETag, or null when the
    /// entity changed or vanished since it was read (412/404). Pass <see cref="ETag.All"/> only on purpose.
    /// </summary>
    public virtual async Task<ETag?> TryUpdateAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Replace, CancellationToken ct = default)
    {
        if (ifMatch == default) throw new ArgumentException("An ETag is required; use ETag.All to update unconditionally.", nameof(ifMatch));
        using var message = Create(mode == TableUpdateMode.Replace ? RequestMethod.Put : Merge, EntityUrl(entity.PartitionKey, entity.RowKey), entity.ToJson());
        message.Request.Headers.SetValue("If-Match", ifMatch.ToString());
        var response = await SendAsync(message, ct);
        if (response.Status is 412 or 404) return null;
        if (response.Status is not 204) throw StorageErrors.From(response);
        _account.Metrics.CountWritten(1);
        return ETagOf(response);
    }

    /// <summary>Deletes an entity; false when it did not exist or its ETag no longer matched.</summary>
    public virtual async Task<bool> DeleteAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken ct = default)
    {
        using var message = Create(RequestMethod.Delete, EntityUrl(partitionKey, rowKey), null);
        message.Request.Headers.SetValue("If-Match", ifMatch == default ? "*" : ifMatch.ToString());
        var response = await SendAsync(message, ct);
        if (response.Status is 404 or 412) return false;
        if (response.Status is not 204) throw StorageErrors.From(response);
        return true;
    }

    /// <summary>Reads one entity by its keys; null when absent.</summary>
    public virtual async Task<TableEntity?> GetAsync(string partitionKey, string rowKey, IEnumerable<string>? columns = null, CancellationToken ct = default)
    {
        var url = EntityUrl(partitionKey, rowKey);
        if (columns is not null) url += "?$select=" + Uri.EscapeDataString(string.Join(",", columns.Concat(["PartitionKey", "RowKey"]).Distinct()));
        using var message = Create(RequestMethod.Get, url, null);
        var response = await SendAsync(message, ct);
        if (response.Status == 404) return null;
        if (response.Status != 200) throw StorageErrors.From(response);
        using var doc = JsonDocument.Parse(response.Content.ToMemory());
        _account.Metrics.CountRead(1);
        return TableEntity.FromJson(doc.RootElement, ETagOf(response));
    }

    /// <summary>
    /// Streams every entity matching <paramref name="filter"/>, following continuation tokens (a page may be
    /// empty and still carry one). Build filters with <see cref="TableFilter.Create"/>.
    /// </summary>
    public virtual async IAsyncEnumerable<TableEntity> QueryAsync(
        string? filter, IEnumerable<string>? columns = null, int? pageSize = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var baseQuery = new List<string>();
        if (filter is not null) baseQuery.Add("$filter=" + Uri.EscapeDataString(filter));
        if (columns is not null) baseQuery.Add("$select=" + Uri.EscapeDataString(string.Join(",", columns.Concat(["PartitionKey", "RowKey"]).Distinct())));
        if (pageSize is { } top) baseQuery.Add("$top=" + top);
        string? nextPk = null, nextRk = null;
        do
        {
            var query = new List<string>(baseQuery);
            if (nextPk is not null) query.Add("NextPartitionKey=" + Uri.EscapeDataString(nextPk));
            if (nextRk is not null) query.Add("NextRowKey=" + Uri.EscapeDataString(nextRk));
            var url = $"{TableUrl}()" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
            List<TableEntity> page;
            using (var message = Create(RequestMethod.Get, url, null))
            {
                var response = await SendAsync(message, ct);
                if (response.Status != 200) throw StorageErrors.From(response);
                using var doc = JsonDocument.Parse(response.Content.ToMemory());
                page = [.. doc.RootElement.GetProperty("value").EnumerateArray().Select(e => TableEntity.FromJson(e))];
                response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out nextPk);
                response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out nextRk);
            }
            _account.Metrics.CountRead(page.Count);
            foreach (var e in page) yield return e;
        }
        while (nextPk is not null);
    }

    /// <summary>
    /// Runs an entity group transaction: all operations succeed or none do. The service requires one
    /// partition, at most 100 operations and each entity once; Azurite does not enforce the partition
    /// rule, so it is checked here.
    /// </summary>
    public virtual async Task SubmitTransactionAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken ct = default)
    {
        TableBatch.Validate(actions);
        var (contentType, body) = TableBatch.Build(this, actions);
        using var message = Create(RequestMethod.Post, $"{_account.Endpoints.TableUri.AbsoluteUri.TrimEnd('/')}/$batch", body, contentType);
        var response = await SendAsync(message, ct);
        if (response.Status != 202) throw StorageErrors.From(response);
        TableBatch.ThrowIfFailed(response.Content.ToString());
        _account.Metrics.CountWritten(actions.Count);
    }

    private HttpMessage Create(RequestMethod method, string url, byte[]? body, string contentType = "application/json")
    {
        var message = _account.TablePipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(new Uri(url));
        request.Headers.SetValue("Accept", Accept);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        if (body is not null)
        {
            request.Headers.SetValue("Content-Type", contentType);
            request.Headers.SetValue("Prefer", "return-no-content");
            request.Content = RequestContent.Create(body);
        }
        return message;
    }

    private async Task<Response> SendAsync(HttpMessage message, CancellationToken ct)
    {
        await _account.TablePipeline.SendAsync(message, ct);
        return message.Response;
    }

    private static ETag ETagOf(Response response) =>
        response.Headers.TryGetValue("ETag", out var e) && e is not null ? new ETag(e) : default;
}
