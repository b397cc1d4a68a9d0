namespace Beacon.Api.Http;

/// <summary>
/// What an endpoint's request body is, for the OpenAPI document only (<see cref="RequestBodyDocumenter"/>).
/// Beacon's handlers read their bodies themselves — bounded in size, parsed once, every bad field named in
/// one problem — so the body is not a bound parameter, and <c>Accepts</c> metadata is not used because
/// routing would then answer 415 to another content type before the credential is checked.
/// </summary>
/// <param name="Shape">The JSON body's shape (a record named <c>…Body</c>); null for bodies described only by their media type.</param>
internal sealed record RequestBodyDoc(Type? Shape, IReadOnlyList<string> ContentTypes, string? Description = null);
