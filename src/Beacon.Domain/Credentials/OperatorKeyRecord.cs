namespace Beacon.Domain.Credentials;

/// <summary>An operator key as stored (SPEC §12): its name (the audit log's actor), never the key, only its hash.</summary>
public sealed record OperatorKeyRecord(string OperatorId, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, string Hash)
{
    public bool IsRevoked => RevokedAt is not null;
}
