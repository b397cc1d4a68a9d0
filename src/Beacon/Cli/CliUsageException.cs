namespace Beacon.Cli;

/// <summary>Bad command-line usage: exit code 2 with a message.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
