using Beacon.Domain.Credentials;

namespace Beacon.Api.Access;

/// <summary>The API key a customer endpoint was called with; set by the group's filter before the handler runs.</summary>
internal sealed class CustomerCaller
{
    private ApiKeyRecord? _key;

    public ApiKeyRecord Key
    {
        get => _key ?? throw new InvalidOperationException("No API key: the endpoint is missing RequireApiKey().");
        set => _key = value;
    }
}
