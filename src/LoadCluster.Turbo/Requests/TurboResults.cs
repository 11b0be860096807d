using System.Text;
using Microsoft.AspNetCore.Http;

namespace LoadCluster.Turbo;

/// <summary>
/// Answers that follow Turbo's rules, as <see cref="IResult"/>s (minimal APIs, and MVC actions
/// returning IResult): a stream response, a 303 after a successful post, a 422 re-rendered form.
/// </summary>
public static class TurboResults
{
    /// <summary>A Turbo Stream response (content type <c>text/vnd.turbo-stream.html; charset=utf-8</c>).</summary>
    public static IResult Stream(string streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        return TypedResults.Text(streams, TurboRequestExtensions.StreamMediaType, Encoding.UTF8);
    }

    /// <summary>A Turbo Stream response of one or more actions, applied in order (Turbo-Flask's <c>turbo.stream([...])</c>).</summary>
    public static IResult Stream(params IEnumerable<TurboStreamAction> actions) => Stream(TurboStream.Combine(actions));

    /// <summary>
    /// 303 See Other to <paramref name="url"/>: Turbo refuses a 200 page in answer to a form post
    /// ("Form responses must redirect to another location"). Pass a URL of your own site; this does
    /// not check, as the caller knows where it is sending the browser.
    /// </summary>
    public static IResult SeeOther(string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        return new SeeOtherResult(url);
    }

    /// <summary>422 Unprocessable Content with the form re-rendered (with its errors) as an HTML page or fragment.</summary>
    public static IResult Unprocessable(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        return TypedResults.Content(html, "text/html", Encoding.UTF8, StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>303 See Other: the answer Turbo expects to a successful form post.</summary>
    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
