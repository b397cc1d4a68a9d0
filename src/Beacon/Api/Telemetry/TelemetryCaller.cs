using Beacon.Domain.Credentials;

namespace Beacon.Api.Telemetry;

/// <summary>The license an OTLP export was sent with, bound from the request once the LicenseHeader scheme accepted it.</summary>
internal sealed record TelemetryCaller(LicenseRecord License)
{
    public static ValueTask<TelemetryCaller?> BindAsync(HttpContext http) => ValueTask.FromResult<TelemetryCaller?>(
        http.Features.Get<TelemetryCaller>() ?? throw new InvalidOperationException("No license: the endpoint is missing RequireLicenseHeader()."));
}
