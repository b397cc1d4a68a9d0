using System.Diagnostics.CodeAnalysis;
using System.ComponentModel.DataAnnotations;
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
    /// <summary>The <c>Beacon:Storage</c> settings (<c>Beacon__Storage__MaxRetries</c> …), validated at start.</summary>
    public const string Section = "Beacon:Storage";

    /// <summary>Not a setting: tests put a fault-injecting transport here.</summary>
    public HttpPipelineTransport? Transport { get; set; }

    /// <summary>Retries after the first try of one storage call.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first pause before a retry (doubled each time, with jitter).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Why)]
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(200);

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Why)]

    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>How long one try may wait for storage's answer.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Why)]
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
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
