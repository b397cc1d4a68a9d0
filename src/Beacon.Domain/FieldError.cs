namespace Beacon.Domain;

/// <summary>One problem with one input field. Validation collects all of them before answering.</summary>
public sealed record FieldError(string Field, string Message);
