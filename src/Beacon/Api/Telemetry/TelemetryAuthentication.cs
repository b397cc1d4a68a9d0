using Beacon.Api.Access;

namespace Beacon.Api.Telemetry;

/// <summary>
/// The OTLP routes need a usable license in <c>X-Langchain-License-Key</c> (<see cref="LicenseHeaderHandler"/>),
/// and take bodies up to OTLP's 4 MiB instead of Beacon's usual limit.
/// </summary>
internal static class TelemetryAuthentication
{
    public const string Header = "X-Langchain-License-Key";

    public static TBuilder RequireLicenseHeader<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder
            .RequireAuthorization(CredentialSchemes.LicensePolicy)
            .AddEndpointFilter((context, next) =>
            {
                OtlpBody.AllowWireLimit(context.HttpContext);
                return next(context);
            })
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
