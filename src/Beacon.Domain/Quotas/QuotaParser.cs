using System.Globalization;
using Beacon.Domain.Meters;

namespace Beacon.Domain.Quotas;

/// <summary>Parses <c>METRIC=N</c> (the CLI's <c>--quota</c>): a quota metric of the catalog, a whole limit of at least 1, each metric once.</summary>
public static class QuotaParser
{
    public static Validated<IReadOnlyList<Quota>> Parse(MeterCatalog catalog, IEnumerable<string> specs)
    {
        var errors = new List<FieldError>();
        var quotas = new List<Quota>();
        foreach (var spec in specs)
        {
            var eq = spec.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? spec : spec[..eq];
            if (!catalog.QuotaMetrics.Contains(name))
                errors.Add(new FieldError("quota", $"Unknown quota metric '{name}': use {string.Join(", ", catalog.QuotaMetrics)}, as METRIC=N."));
            else if (eq < 0 || !long.TryParse(spec.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1)
                errors.Add(new FieldError("quota", $"The limit of {name} must be a whole number of at least 1, as {name}=N."));
            else if (quotas.Any(q => q.Metric == name))
                errors.Add(new FieldError("quota", $"{name} is given more than once."));
            else
                quotas.Add(new Quota(name, limit));
        }
        return errors.Count > 0 ? Validated<IReadOnlyList<Quota>>.Fail(errors) : Validated<IReadOnlyList<Quota>>.Ok(quotas);
    }
}
