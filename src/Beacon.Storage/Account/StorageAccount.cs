using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Beacon.Storage.Account;

/// <summary>
/// The Table and Blob service clients of one storage account (Azure.Data.Tables, Azure.Storage.Blobs),
/// built from a <see cref="StorageConnection"/> with Beacon's retry settings and request counter.
/// </summary>
public sealed class StorageAccount
{
    public StorageAccount(StorageConnection connection, StoragePipelineOptions? options = null)
    {
        options ??= new StoragePipelineOptions();
        var counting = new RequestCountingPolicy(Metrics);
        var tableOptions = options.Apply(new TableClientOptions(), counting);
        var blobOptions = options.Apply(new BlobClientOptions(), counting);
        if (connection.ConnectionString is { } cs)
        {
            TableService = new TableServiceClient(cs, tableOptions);
            BlobService = new BlobServiceClient(cs, blobOptions);
        }
        else
        {
            TableService = new TableServiceClient(connection.TableServiceUri!, connection.Credential!, tableOptions);
            BlobService = new BlobServiceClient(connection.BlobServiceUri!, connection.Credential!, blobOptions);
        }
    }

    public StorageMetrics Metrics { get; } = new();
    public TableServiceClient TableService { get; }
    public BlobServiceClient BlobService { get; }
}
