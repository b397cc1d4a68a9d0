using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Beacon.Storage.Stores;

namespace Beacon.Storage.Maintenance;

/// <summary>
/// A whole-account copy to a folder and back (docs/operations.md): every table's entities with their
/// property types, and every blob with its content type. Restore writes only into empty storage, so it can
/// never merge an old copy into live data. The folder holds what the account holds — hashed credentials and
/// the token signing keys' private parts — so it is as secret as the account.
/// </summary>
public sealed class StorageBackup(Tables tables)
{
    /// <summary>What a backup or restore copied: entities per table and blobs per container.</summary>
    public sealed record Summary(IReadOnlyDictionary<string, long> Tables, IReadOnlyDictionary<string, long> Blobs);

    private const string Manifest = "manifest.json";

    public async Task<Summary> BackupAsync(string folder, CancellationToken ct)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            throw new InvalidOperationException($"{folder} is not empty: a backup goes into a new or empty folder.");
        Directory.CreateDirectory(Path.Combine(folder, "tables"));
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables.AllTables)
        {
            long n = 0;
            await using var file = File.CreateText(Path.Combine(folder, "tables", table.Name + ".jsonl"));
            try
            {
                await foreach (var e in table.QueryAsync<TableEntity>(cancellationToken: ct))
                {
                    await file.WriteLineAsync(Write(e).ToJsonString());
                    n++;
                }
            }
            catch (Azure.RequestFailedException x) when (x.Status == 404)
            {
                // A table never created holds nothing.
            }
            counts[table.Name] = n;
        }
        var blobs = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var container in tables.AllContainers)
        {
            long n = 0;
            var dir = Path.Combine(folder, "blobs", container.Name);
            Directory.CreateDirectory(dir);
            var types = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (await container.ExistsAsync(ct))
            {
                await foreach (var item in container.GetBlobsAsync(cancellationToken: ct))
                {
                    var path = Path.Combine(dir, Uri.EscapeDataString(item.Name));
                    await container.GetBlobClient(item.Name).DownloadToAsync(path, ct);
                    types[item.Name] = item.Properties.ContentType ?? "application/octet-stream";
                    n++;
                }
            }
            await File.WriteAllTextAsync(Path.Combine(dir, ".content-types.json"), JsonSerializer.Serialize(types, BackupJson.Default.SortedDictionaryStringString), ct);
            blobs[container.Name] = n;
        }
        var summary = new Summary(counts, blobs);
        await File.WriteAllTextAsync(Path.Combine(folder, Manifest), JsonSerializer.Serialize(new BackupManifest(1, counts, blobs), BackupJson.Default.BackupManifest), ct);
        return summary;
    }

    public async Task<Summary> RestoreAsync(string folder, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(folder, Manifest))) throw new InvalidOperationException($"{folder} is not a Beacon backup (no {Manifest}).");
        await tables.EnsureCreatedAsync(ct);
        foreach (var table in tables.AllTables)
            if (await table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: ct).AnyAsync(ct))
                throw new InvalidOperationException($"The table {table.Name} is not empty: restore writes only into empty storage.");
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables.AllTables)
        {
            var file = Path.Combine(folder, "tables", table.Name + ".jsonl");
            long n = 0;
            if (File.Exists(file))
            {
                // One transaction per partition and 100 entities: a backup of a big account restores in minutes.
                var batch = new List<TableTransactionAction>();
                async Task FlushAsync()
                {
                    if (batch.Count > 0) await table.SubmitTransactionAsync(batch, ct);
                    batch.Clear();
                }
                foreach (var line in File.ReadLines(file))
                {
                    var e = Read(JsonNode.Parse(line)!.AsObject());
                    if (batch.Count == 100 || (batch.Count > 0 && batch[0].Entity.PartitionKey != e.PartitionKey)) await FlushAsync();
                    batch.Add(new TableTransactionAction(TableTransactionActionType.Add, e));
                    n++;
                }
                await FlushAsync();
            }
            counts[table.Name] = n;
        }
        var blobs = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var container in tables.AllContainers)
        {
            var dir = Path.Combine(folder, "blobs", container.Name);
            long n = 0;
            if (Directory.Exists(dir))
            {
                var types = JsonSerializer.Deserialize(await File.ReadAllTextAsync(Path.Combine(dir, ".content-types.json"), ct), BackupJson.Default.DictionaryStringString) ?? [];
                foreach (var (name, type) in types)
                {
                    await using var content = File.OpenRead(Path.Combine(dir, Uri.EscapeDataString(name)));
                    await container.GetBlobClient(name).UploadAsync(content, new BlobUploadOptions
                    {
                        HttpHeaders = new BlobHttpHeaders { ContentType = type },
                        Conditions = new BlobRequestConditions { IfNoneMatch = Azure.ETag.All },
                    }, ct);
                    n++;
                }
            }
            blobs[container.Name] = n;
        }
        return new Summary(counts, blobs);
    }

    /// <summary>An entity as JSON with each property's type, so a restore writes back exactly what was read.</summary>
    private static JsonObject Write(TableEntity e)
    {
        var properties = new JsonObject();
        foreach (var (name, value) in e)
        {
            if (name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag") continue;
            properties[name] = value switch
            {
                string s => new JsonArray("String", s),
                int i => new JsonArray("Int32", i),
                long l => new JsonArray("Int64", l.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                double d => new JsonArray("Double", d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
                bool b => new JsonArray("Boolean", b),
                DateTimeOffset t => new JsonArray("DateTime", t.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
                DateTime t => new JsonArray("DateTime", t.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
                Guid g => new JsonArray("Guid", g.ToString("D")),
                byte[] bytes => new JsonArray("Binary", Convert.ToBase64String(bytes)),
                BinaryData data => new JsonArray("Binary", Convert.ToBase64String(data.ToArray())),
                null => null,
                _ => throw new InvalidOperationException($"Property {name} of {e.PartitionKey}/{e.RowKey} has a type a backup does not know: {value.GetType().Name}."),
            };
        }
        return new JsonObject { ["PartitionKey"] = e.PartitionKey, ["RowKey"] = e.RowKey, ["properties"] = properties };
    }

    private static TableEntity Read(JsonObject o)
    {
        var e = new TableEntity(o["PartitionKey"]!.GetValue<string>(), o["RowKey"]!.GetValue<string>());
        foreach (var (name, node) in o["properties"]!.AsObject())
        {
            if (node is not JsonArray { Count: 2 } typed) continue;
            var text = typed[1]!.ToString();
            e[name] = typed[0]!.GetValue<string>() switch
            {
                "String" => text,
                "Int32" => typed[1]!.GetValue<int>(),
                "Int64" => long.Parse(text, System.Globalization.CultureInfo.InvariantCulture),
                "Double" => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture),
                "Boolean" => typed[1]!.GetValue<bool>(),
                "DateTime" => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal),
                "Guid" => Guid.Parse(text),
                "Binary" => Convert.FromBase64String(text),
                var t => throw new InvalidOperationException($"Unknown property type {t} in the backup."),
            };
        }
        return e;
    }
}
