namespace Beacon.Alerts;

/// <summary>What one alerts run did: fan-outs a crash had left finished, state-based events emitted, delivery attempts made.</summary>
public sealed record AlertsReport(int FanoutsFinished, int EventsEmitted, int Attempts);
