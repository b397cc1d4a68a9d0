namespace Beacon.Domain;

/// <summary>Either a valid value or every error found in the input.</summary>
public sealed class Validated<T> where T : class
{
    private Validated(T? value, IReadOnlyList<FieldError> errors, bool unprocessable) =>
        (Value, Errors, Unprocessable) = (value, errors, unprocessable);

    public T? Value { get; }
    public IReadOnlyList<FieldError> Errors { get; }
    public bool IsValid => Value is not null;

    /// <summary>
    /// True when the input is well-formed but breaks a semantic rule (a window longer than 400 days,
    /// ending before it starts): HTTP 422 rather than 400.
    /// </summary>
    public bool Unprocessable { get; }

    public static Validated<T> Ok(T value) => new(value, [], false);
    public static Validated<T> Fail(IReadOnlyList<FieldError> errors, bool unprocessable = false) => new(null, errors, unprocessable);
}
