using System.Text;
using System.Text.RegularExpressions;
using Azure;

namespace Beacon.Storage.Client;

public enum TableTransactionActionType
{
    Add,
    UpsertReplace,
    UpsertMerge,
    UpdateReplace,
    Delete,
}

/// <summary>One operation of an entity group transaction. <see cref="ETag"/> applies to UpdateReplace and Delete.</summary>
public sealed record TableTransactionAction(TableTransactionActionType Type, TableEntity Entity, ETag ETag = default);

/// <summary>A transaction failed as a whole; <see cref="FailedIndex"/> is the operation the service blamed (or -1).</summary>
public sealed class TableTransactionFailedException(int status, string? errorCode, int failedIndex, string message)
    : RequestFailedException(status, message, errorCode, null)
{
    public int FailedIndex { get; } = failedIndex;
}

/// <summary>The multipart/mixed wire format of the Table service's <c>$batch</c> endpoint.</summary>
internal static partial class TableBatch
{
    public const int MaxOperations = 100;

    public static void Validate(IReadOnlyList<TableTransactionAction> actions)
    {
        if (actions.Count == 0) throw new ArgumentException("A transaction needs at least one operation.", nameof(actions));
        if (actions.Count > MaxOperations) throw new ArgumentException($"A transaction holds at most {MaxOperations} operations.", nameof(actions));
        var pk = actions[0].Entity.PartitionKey;
        if (actions.Any(a => a.Entity.PartitionKey != pk))
            throw new ArgumentException("Every operation of a transaction must target the same partition.", nameof(actions));
        if (actions.Select(a => a.Entity.RowKey).Distinct(StringComparer.Ordinal).Count() != actions.Count)
            throw new ArgumentException("An entity may appear only once in a transaction.", nameof(actions));
    }

    public static (string ContentType, byte[] Body) Build(TableClient table, IReadOnlyList<TableTransactionAction> actions)
    {
        var batch = "batch_" + Guid.NewGuid().ToString("N");
        var changeset = "changeset_" + Guid.NewGuid().ToString("N");
        var sb = new StringBuilder();
        sb.Append("--").Append(batch).Append("\r\n");
        sb.Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append("\r\n\r\n");
        foreach (var a in actions)
        {
            var (method, url, ifMatch, hasBody) = a.Type switch
            {
                TableTransactionActionType.Add => ("POST", table.TableUrl, (string?)null, true),
                TableTransactionActionType.UpsertReplace => ("PUT", table.EntityUrl(a.Entity.PartitionKey, a.Entity.RowKey), null, true),
                TableTransactionActionType.UpsertMerge => ("MERGE", table.EntityUrl(a.Entity.PartitionKey, a.Entity.RowKey), null, true),
                TableTransactionActionType.UpdateReplace => ("PUT", table.EntityUrl(a.Entity.PartitionKey, a.Entity.RowKey), a.ETag == default ? "*" : a.ETag.ToString(), true),
                _ => ("DELETE", table.EntityUrl(a.Entity.PartitionKey, a.Entity.RowKey), a.ETag == default ? "*" : a.ETag.ToString(), false),
            };
            sb.Append("--").Append(changeset).Append("\r\n");
            sb.Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
            sb.Append(method).Append(' ').Append(url).Append(" HTTP/1.1\r\n");
            sb.Append("Accept: application/json;odata=minimalmetadata\r\n");
            sb.Append("DataServiceVersion: 3.0\r\n");
            if (ifMatch is not null) sb.Append("If-Match: ").Append(ifMatch).Append("\r\n");
            if (hasBody)
            {
                sb.Append("Content-Type: application/json\r\nPrefer: return-no-content\r\n\r\n");
                sb.Append(Encoding.UTF8.GetString(a.Entity.ToJson())).Append("\r\n");
            }
            else
            {
                sb.Append("\r\n");
            }
        }
        sb.Append("--").Append(changeset).Append("--\r\n");
        sb.Append("--").Append(batch).Append("--\r\n");
        return ($"multipart/mixed; boundary={batch}", Encoding.UTF8.GetBytes(sb.ToString()));
    }

    [GeneratedRegex(@"HTTP/1\.1 (\d{3})")]
    private static partial Regex StatusLine();

    [GeneratedRegex("\"code\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex ErrorCode();

    [GeneratedRegex("\"value\"\\s*:\\s*\"(\\d+):")]
    private static partial Regex FailedIndex();

    public static void ThrowIfFailed(string responseBody)
    {
        var failed = StatusLine().Matches(responseBody).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault(s => s >= 400);
        if (failed == 0) return;
        var code = ErrorCode().Match(responseBody) is { Success: true } c ? c.Groups[1].Value : null;
        var index = FailedIndex().Match(responseBody) is { Success: true } i ? int.Parse(i.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
        throw new TableTransactionFailedException(failed, code, index, $"The transaction failed with {failed} {code} at operation {index}.");
    }
}
