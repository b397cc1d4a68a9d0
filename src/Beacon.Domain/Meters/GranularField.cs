namespace Beacon.Domain.Meters;

/// <summary>
/// Where a meter shows in the granular usage API and on the dashboard. Meters of one kind that share a
/// field are summed into it (both trace tiers are <c>traces</c>). <see cref="Order"/> places the field in a
/// record; <see cref="CsvColumn"/> is its export column (null: JSON only, so the seed's CSV layout stays);
/// <see cref="Card"/> is the dashboard's stat card for it, or <see cref="NoteOn"/> names the field whose
/// card carries it as a note instead: "= N " + <see cref="NoteText"/>.
/// </summary>
public sealed record GranularField(string Name, int Order)
{
    public string? CsvColumn { get; init; }
    public string? Card { get; init; }
    public string? NoteOn { get; init; }
    public string? NoteText { get; init; }
}
