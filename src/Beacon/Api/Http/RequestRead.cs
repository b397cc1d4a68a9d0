using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Beacon.Api.Http;

/// <summary>
/// What reading a request's input gave: the value, or the problem that answers the request instead. A reader
/// returns either one (both convert implicitly); a handler asks <see cref="TryGet"/>, and the compiler knows
/// which of the two it holds, so no caller unpacks a pair or asserts non-null.
/// </summary>
internal readonly struct RequestRead<T> where T : class
{
    private readonly T? _value;
    private readonly ProblemHttpResult? _problem;

    private RequestRead(T? value, ProblemHttpResult? problem) => (_value, _problem) = (value, problem);

    public static implicit operator RequestRead<T>(T value) => new(value, null);

    public static implicit operator RequestRead<T>(ProblemHttpResult problem) => new(null, problem);

    public bool TryGet([NotNullWhen(true)] out T? value, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        (value, problem) = (_value, _problem);
        return _problem is null && _value is not null;
    }
}
