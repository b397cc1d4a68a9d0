using System.Globalization;
using Azure.Data.Tables;

namespace Beacon.Storage.Stores;

/// <summary>
/// Table Storage has no 128-bit integers: a total that outgrows Int64 (possible only over millions of
/// maximal reports) is stored as its decimal text, so a sum can never fail or wrap when it is saved.
/// </summary>
internal static class Int128Column
{
    public static object Write(Int128 value) =>
        value >= long.MinValue && value <= long.MaxValue ? (long)value : value.ToString(CultureInfo.InvariantCulture);

    public static Int128 Read(TableEntity e, string name) => e.TryGetValue(name, out var v) ? v switch
    {
        long l => l,
        int i => i,
        string s => Int128.Parse(s, CultureInfo.InvariantCulture),
        _ => 0,
    } : 0;
}
