namespace Beacon.FunctionsHost;

/// <summary>
/// Retries a proxied request while the worker's HTTP endpoint refuses the connection, as the real host's
/// proxy does (up to 10 tries, 50 ms doubling to at most 250 ms apart). The worker announces its HttpUri
/// when the gRPC stream starts, which can be before Kestrel listens; without this a test's first request
/// could race the worker's start. Only connection failures are retried: nothing reached the worker.
/// </summary>
internal sealed class ConnectRetryHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private const int MaxTries = 10;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError && attempt < MaxTries)
            {
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
            }
        }
    }
}
