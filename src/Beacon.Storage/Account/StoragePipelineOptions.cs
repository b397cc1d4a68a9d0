using Azure.Core;
using Azure.Core.Pipeline;

namespace Beacon.Storage.Account;

/// <summary>
/// Retries and timeouts of every storage client, and the transport underneath: tests swap the
/// transport to inject failures Azurite cannot produce (throttling, timeouts, a lost answer).
/// Azure.Core retries 408/429/500/502/503/504 and network errors with exponential backoff and honours
/// Retry-After. A whole call is bounded by about (retries + 1) × network timeout plus the delays; the
/// HTTP request deadline (BeaconOptions.StorageDeadline) bounds what one request may spend in total.
/// </summary>
public sealed class StoragePipelineOptions
{
    public HttpPipelineTransport? Transport { get; set; }
    public int MaxRetries { get; set; } = 4;
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(4);
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(15);

    internal T Apply<T>(T options, HttpPipelinePolicy perRetry) where T : ClientOptions
    {
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = Delay;
        options.Retry.MaxDelay = MaxDelay;
        options.Retry.NetworkTimeout = NetworkTimeout;
        options.Diagnostics.IsLoggingEnabled = false;
        options.Diagnostics.IsDistributedTracingEnabled = false;
        options.Diagnostics.IsTelemetryEnabled = false;
        if (Transport is not null) options.Transport = Transport;
        options.AddPolicy(perRetry, HttpPipelinePosition.PerRetry);
        return options;
    }
}
