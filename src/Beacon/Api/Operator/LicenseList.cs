namespace Beacon.Api.Operator;

/// <summary>A page of GET /api/v1/operator/licenses: silent first, then reporting, then never; <c>next_cursor</c> is null on the last page.</summary>
internal sealed record LicenseList(IReadOnlyList<LicenseView> Licenses, string? NextCursor, StateCounts Counts);
