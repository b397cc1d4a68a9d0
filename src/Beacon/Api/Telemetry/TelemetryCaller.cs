using Beacon.Domain.Credentials;

namespace Beacon.Api.Telemetry;

/// <summary>The license an OTLP export was sent with; set by the group's filter before the handler runs.</summary>
internal sealed class TelemetryCaller
{
    private LicenseRecord? _license;

    public LicenseRecord License
    {
        get => _license ?? throw new InvalidOperationException("No license: the endpoint is missing RequireLicenseHeader().");
        set => _license = value;
    }
}
