using Azure.Core;
using Azure.Core.Pipeline;

namespace Beacon.Storage.Client;

/// <summary>Retry and timeout settings of the storage pipeline; tests swap the transport to inject faults.</summary>
public sealed class StorageClientOptions : ClientOptions
{
    public StorageClientOptions()
    {
        // Azure.Core's retry policy retries 408/429/500/502/503/504 and network errors with exponential
        // backoff and honours Retry-After. Throttling (503 Server Busy, 500 Operation Timeout) is transient.
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 4;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.MaxDelay = TimeSpan.FromSeconds(5);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(20);
        Diagnostics.IsLoggingEnabled = false;
        Diagnostics.IsDistributedTracingEnabled = false;
    }
}

/// <summary>One storage account: builds the HTTP pipelines and hands out table and container clients.</summary>
public sealed class StorageAccount
{
    public const string TableVersion = "2020-12-06";
    public const string BlobVersion = "2021-12-02";

    public StorageAccount(StorageEndpoints endpoints, StorageClientOptions? options = null)
    {
        Endpoints = endpoints;
        options ??= new StorageClientOptions();
        TablePipeline = Build(options, endpoints.AccountKey is { } k ? new TableSharedKeyLitePolicy(endpoints.AccountName, k) : null, TableVersion);
        BlobPipeline = Build(options, endpoints.AccountKey is { } k2 ? new BlobSharedKeyPolicy(endpoints.AccountName, k2) : null, BlobVersion);
    }

    public StorageEndpoints Endpoints { get; }
    public StorageMetrics Metrics { get; } = new();
    internal HttpPipeline TablePipeline { get; }
    internal HttpPipeline BlobPipeline { get; }

    public TableClient GetTable(string name) => new(this, name);

    public BlobContainerClient GetContainer(string name) => new(this, name);

    private HttpPipeline Build(StorageClientOptions options, HttpPipelinePolicy? keyPolicy, string version)
    {
        HttpPipelinePolicy auth = keyPolicy
            ?? new BearerTokenAuthenticationPolicy(Endpoints.Credential!, "https://storage.azure.com/.default");
        return HttpPipelineBuilder.Build(
            options,
            perCallPolicies: [new VersionPolicy(version)],
            perRetryPolicies: [new CountingPolicy(Metrics), auth],
            new ResponseClassifier());
    }

    private sealed class VersionPolicy(string version) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => message.Request.Headers.SetValue("x-ms-version", version);
    }

    private sealed class CountingPolicy(StorageMetrics metrics) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => metrics.CountRequest();
    }
}
