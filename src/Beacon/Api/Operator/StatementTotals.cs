using System.Text.Json.Serialization;

namespace Beacon.Api.Operator;

/// <summary>
/// A month's lines summed, whatever page is shown: how many lines, then one field per meter of the catalog (null
/// when no line has it: the month was closed before the meter existed). Adjustments are apart, as on the statement.
/// </summary>
internal sealed record StatementTotals(int Lines)
{
    [JsonExtensionData]
    public Dictionary<string, object?> Meters { get; set; } = []; // settable: generated JSON metadata cannot bind extension data through init
}
