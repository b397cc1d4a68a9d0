using Beacon.Domain.Credentials;

namespace Beacon.Api.Operator;

/// <summary>The operator key a request was made with; set by <see cref="OperatorAuthentication"/> before the handler runs.</summary>
internal sealed class OperatorCaller
{
    private OperatorKeyRecord? _key;

    public OperatorKeyRecord Key
    {
        get => _key ?? throw new InvalidOperationException("No operator: the endpoint is missing RequireOperatorKey().");
        set => _key = value;
    }

    /// <summary>The audit log's actor: the operator key's name.</summary>
    public string Actor => Key.Name;
}
