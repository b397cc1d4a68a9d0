namespace Beacon.Alerts;

/// <summary>A delivery refused before any connection: its host resolves to an address webhooks may not reach.</summary>
public sealed class WebhookRefusedException(string message) : Exception(message);
