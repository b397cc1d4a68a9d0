using Beacon.Api.Http;

namespace Beacon.Hosting;

/// <summary>Holds a request that needs storage until <see cref="StorageReadiness"/> has checked it once (a fault there is a 503 like any storage fault).</summary>
internal sealed class StorageGate(RequestDelegate next, Deferred<StorageReadiness> readiness)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<NeedsNoStorage>() is null) await readiness.Value.EnsureAsync(context.RequestAborted);
        await next(context);
    }
}
