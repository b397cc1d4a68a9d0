namespace Beacon.Api.Access;

/// <summary>A credential scheme's verdict: the caller it accepted (with an id and permissions for its claims), or the problem it answers.</summary>
internal sealed record CredentialOutcome(object? Caller, string? Id, IReadOnlyList<string> Permissions, IResult? Refusal)
{
    public static CredentialOutcome Accept(object caller, string id, params IReadOnlyList<string> permissions) => new(caller, id, permissions, null);

    public static CredentialOutcome Refuse(IResult problem) => new(null, null, [], problem);
}
