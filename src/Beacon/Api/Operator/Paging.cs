using Beacon.Api.Http;
using Beacon.Domain;
using Beacon.Domain.Fleet;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Operator;

/// <summary>
/// The <c>limit</c> and <c>cursor</c> every operator listing takes (SPEC §15): limit 1–1,000 (default 100),
/// and a cursor from the previous page's <c>next_cursor</c>, whose section must be one this listing has.
/// </summary>
internal static class Paging
{
    public static bool TryRead(string? limitText, string? cursorText, IReadOnlyCollection<string> sections,
        out int limit, out PageCursor? cursor, out ProblemHttpResult? problem)
    {
        cursor = null;
        problem = null;
        if (!PageCursor.TryParseLimit(limitText, out limit))
            problem = Problems.Validation([new FieldError("limit", $"must be a whole number from 1 to {PageCursor.MaxLimit}.")]);
        else if (!PageCursor.TryDecode(cursorText, out cursor) || (cursor is not null && !sections.Contains(cursor.Section)))
            problem = Problems.Validation([new FieldError("cursor", "must be the next_cursor of a previous page of this listing, unchanged.")]);
        return problem is null;
    }
}
