namespace Beacon.Api.Meters;

/// <summary>A field of a granular usage record: its unit, export column, and dashboard card (or the card it is a note on).</summary>
internal sealed record GranularFieldView(string Name, string Unit, string? CsvColumn, string? Card, string? NoteOn, string? NoteText);
