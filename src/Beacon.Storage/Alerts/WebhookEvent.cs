namespace Beacon.Storage.Alerts;

/// <summary>
/// Something the vendor may act on (SPEC §18): <see cref="Id"/> is stable — derived from what happened, not
/// from when it was noticed — so however many instances notice it, however often, it is one event.
/// <see cref="Data"/> is the event's JSON object.
/// </summary>
public sealed record WebhookEvent(string Id, string Type, DateTimeOffset Timestamp, string Data);
