namespace Beacon.Domain.Rollups;

/// <summary>
/// The days an org's rollups cover: every day of [<see cref="FirstDay"/>, <see cref="RolledThrough"/>] has
/// its daily cells, and every ISO week and calendar month inside that range has its cells. Empty when
/// <see cref="RolledThrough"/> is before <see cref="FirstDay"/>.
/// </summary>
public readonly record struct Coverage(DateOnly FirstDay, DateOnly RolledThrough)
{
    public bool Covers(Query.Block b) => b.Start >= FirstDay && b.End <= RolledThrough.AddDays(1);

    public bool Contains(DateOnly day) => day >= FirstDay && day <= RolledThrough;

    public static Coverage EmptyAt(DateOnly start) => new(start, start.AddDays(-1));
}
