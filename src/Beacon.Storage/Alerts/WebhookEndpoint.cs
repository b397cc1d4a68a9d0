using Azure;

namespace Beacon.Storage.Alerts;

/// <summary>
/// A place the vendor wants events sent (SPEC §18). <see cref="Secret"/> signs every delivery, so it is kept
/// as issued (it must be read back to sign; it is never listed, logged or audited). <see cref="FailingSince"/>
/// is when its deliveries started failing without a success since; <see cref="DisabledAt"/> when that lasted
/// five days.
/// </summary>
public sealed record WebhookEndpoint(
    string Id, string Url, IReadOnlyList<string> Events, string Description, string Secret, DateTimeOffset CreatedAt,
    DateTimeOffset? FailingSince, DateTimeOffset? DisabledAt, ETag ETag);
