using System.Text.Json.Serialization;

namespace Beacon.Storage.Stores;

/// <summary>
/// An ES256 key pair (P-256, base64url coordinates). <see cref="D"/> is the private part. A key is
/// published from the moment it is saved and signs only from <see cref="ActivatesAt"/> on (null: from
/// <see cref="CreatedAt"/>, as keys saved before this field existed). <see cref="KeepUntil"/> is the latest
/// expiry of an offline license key it signed: the JWKS publishes it until then, whatever rotations came
/// since. A key kept only for that has its private part removed (empty <see cref="D"/>): it never signs again.
/// </summary>
public sealed record SigningKeyMaterial(
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("d")] string D,
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] string Y,
    [property: JsonPropertyName("activates_at")] DateTimeOffset? ActivatesAt = null,
    [property: JsonPropertyName("keep_until")] DateTimeOffset? KeepUntil = null)
{
    public DateTimeOffset SignsFrom => ActivatesAt ?? CreatedAt;

    public bool CanSign => D.Length > 0;
}
