using Microsoft.Net.Http.Headers;

namespace LoadCluster.Web.Security;

/// <summary>
/// Who is sent to the provider's sign-in page and who just gets 401/403: only a browser asking
/// for a page. Scripts, the API and the stream endpoint get status codes they can act on
/// (a redirect to a login form is no answer for <c>curl</c> or an EventSource).
/// </summary>
internal static class SignInRedirects
{
    public static bool IsPageNavigation(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !request.Path.StartsWithSegments("/api")
        && !ConnectionLimits.IsLongLived(request.HttpContext)
        && request.GetTypedHeaders().Accept.Any(accept => accept.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>A status code instead of a redirect, for everything but a page navigation.</summary>
    public static bool AnswerInstead(HttpContext context, int status)
    {
        if (IsPageNavigation(context.Request)) return false;
        context.Response.StatusCode = status;
        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        return true;
    }
}
