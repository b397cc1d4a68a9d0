using System.Globalization;

namespace Beacon.Api.Http;

/// <summary>Wraps a result and adds <c>Retry-After</c> (whole seconds, at least 1).</summary>
internal sealed class RetryAfterResult(IResult inner, TimeSpan retryAfter) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return inner.ExecuteAsync(httpContext);
    }

    public static RetryAfterResult RateLimited(TimeSpan retryAfter) => new RetryAfterResult(Problems.RateLimited(retryAfter), retryAfter);
}
