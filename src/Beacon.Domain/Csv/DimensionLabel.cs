namespace Beacon.Domain.Csv;

/// <summary>Names shown for a record's dimension: null when unknown (empty in CSV).</summary>
public sealed record DimensionLabel(string? Id, string? Name);
