using Beacon.Domain.Meters;
using Beacon.Domain.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Meters;

/// <summary>The meter catalog (SPEC §14) as data. Public like the JWKS: it names quantities, it holds no usage.</summary>
internal static class MeterEndpoints
{
    public static IEndpointRouteBuilder MapMeterEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/meters", Catalog)
            .WithName("Meters")
            .WithMetadata(Http.NeedsNoStorage.Instance)
            .WithTags("Billing")
            .WithSummary("Every billed meter: wire name, unit, aggregation, and where it shows (granular usage field, CSV column, statement column, quota metric).");
        return app;
    }

    private static Ok<MeterCatalogView> Catalog(MeterCatalog catalog) => TypedResults.Ok(new MeterCatalogView(
        [.. catalog.Meters.Select(m => new MeterView(m.Name, m.Unit, m.Title, UsageNames.Of(m.Kind), m.AggregationName, m.Measure,
            m.Tier is { } t ? UsageNames.Of(t) : null, m.Quota, m.Granular?.Name))],
        Enum.GetValues<UsageKind>().ToDictionary(UsageNames.Of, k => (IReadOnlyList<GranularFieldView>)[.. catalog.GranularColumns(k).Select(c =>
            new GranularFieldView(c.Field.Name, catalog.MetersOf(k)[c.MeterIndexes[0]].Unit, c.Field.CsvColumn, c.Field.Card, c.Field.NoteOn, c.Field.NoteText))]),
        catalog.QuotaMetrics));
}
