namespace Beacon.Storage.Statements;

/// <summary>What a close request came to: closed now, refused (not over yet), or closed before.</summary>
public enum CloseOutcome
{
    Closed,
    NotEnded,
    AlreadyClosed,
}
