using Beacon.Domain.Credentials;

namespace Beacon.Api.Access;

/// <summary>The API key a customer endpoint was called with, bound from the request once the ApiKey scheme accepted it.</summary>
internal sealed record CustomerCaller(ApiKeyRecord Key)
{
    public static ValueTask<CustomerCaller?> BindAsync(HttpContext http) => ValueTask.FromResult<CustomerCaller?>(
        http.Features.Get<CustomerCaller>() ?? throw new InvalidOperationException("No API key: the endpoint is missing RequireApiKey()."));
}
