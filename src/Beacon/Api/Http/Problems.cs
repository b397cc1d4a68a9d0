using Beacon.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Http;

/// <summary>
/// Every error Beacon returns is an RFC 9457 problem with a stable <c>type</c> and <c>title</c> and a
/// human <c>detail</c>. Details never contain secrets or anything about another organization.
/// </summary>
internal static class Problems
{
    private const string Prefix = "urn:beacon:problem:";

    public static ProblemHttpResult InvalidJson(string detail) =>
        Make(400, "invalid-json", "The request body is not valid JSON.", detail);

    public static ProblemHttpResult Validation(IReadOnlyList<FieldError> errors, bool unprocessable = false) =>
        Make(unprocessable ? 422 : 400,
            unprocessable ? "unprocessable" : "validation",
            unprocessable ? "The request is well-formed but cannot be accepted." : "The request has invalid fields.",
            string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}")),
            new Dictionary<string, object?> { ["errors"] = errors.ToArray() });

    public static ProblemHttpResult Unauthenticated(string detail) =>
        Make(401, "unauthenticated", "A valid credential is required.", detail);

    public static ProblemHttpResult LicenseNotActive(string reason) =>
        Make(403, "license-not-active", "The license cannot be used.", reason);

    public static ProblemHttpResult Forbidden(string detail) =>
        Make(403, "forbidden", "The credential does not allow this.", detail);

    public static ProblemHttpResult PayloadTooLarge(long limit, string? what = null) =>
        Make(413, "payload-too-large", "The request body is too large.", $"Request bodies are limited to {limit} bytes{(what is null ? "" : " " + what)}.");

    public static ProblemHttpResult UnsupportedMediaType(string detail) =>
        Make(415, "unsupported-media-type", "The request body's format is not accepted.", detail);

    public static ProblemHttpResult InvalidBody(string detail) =>
        Make(400, "invalid-body", "The request body could not be decoded.", detail);

    public static ProblemHttpResult RateLimited(TimeSpan retryAfter) =>
        Make(429, "rate-limited", "Too many requests for this credential.", $"Retry after {Math.Ceiling(retryAfter.TotalSeconds)} seconds.");

    public static ProblemHttpResult StorageUnavailable() =>
        Make(503, "storage-unavailable", "Storage is temporarily unavailable.", "Nothing was stored. Retry the request later.");

    /// <summary>Storage refused the request itself (not a fault of the moment): retrying cannot help, so this is not a 503.</summary>
    public static ProblemHttpResult StorageRefused(int storageStatus, string? code) =>
        Make(500, "storage-refused", "Storage refused this request.",
            $"The storage service refused the request ({storageStatus} {code}). Retrying the same request will not help; nothing was acknowledged.");

    public static ProblemHttpResult NotFound(string detail) => Make(404, "not-found", "Not found.", detail);

    /// <summary>The request contradicts what is stored (a month closed already): retrying cannot help.</summary>
    public static ProblemHttpResult Conflict(string detail) => Make(409, "conflict", "The request conflicts with the current state.", detail);

    private static ProblemHttpResult Make(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: Prefix + type, extensions: extensions);
}
