using Beacon.Domain.Credentials;

namespace Beacon.Api.Operator;

/// <summary>The operator key a request was made with, bound from the request once the OperatorKey scheme accepted it.</summary>
internal sealed record OperatorCaller(OperatorKeyRecord Key)
{
    /// <summary>The audit log's actor: the operator key's name.</summary>
    public string Actor => Key.Name;

    public static ValueTask<OperatorCaller?> BindAsync(HttpContext http) => ValueTask.FromResult<OperatorCaller?>(
        http.Features.Get<OperatorCaller>() ?? throw new InvalidOperationException("No operator: the endpoint is missing RequireOperatorKey()."));
}
