using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Turbo;

/// <summary>
/// During a request, renders through the request's own <see cref="IComponentPrerenderer"/> (what
/// RazorComponentResult and MVC's component tag helper use): it initializes the request's component
/// services once (navigation from the request URL, authentication state from the user, the
/// anti-forgery token) and cascades the <c>HttpContext</c>. Rendering in a scope of our own there
/// would give <c>&lt;AntiforgeryToken /&gt;</c> nothing to render, and the next form post would fail.
/// Outside a request, renders with a fresh <see cref="HtmlRenderer"/> in a fresh scope per call: a
/// renderer keeps every root component it rendered until disposed, so a long-lived one would grow
/// without bound in a background service that renders forever; the scope gives scoped services to
/// the components, which the root provider must not hand out.
/// </summary>
internal sealed class HtmlTurboRenderer(IHttpContextAccessor http, IServiceScopeFactory scopes, ILoggerFactory loggerFactory) : ITurboRenderer
{
    // Set on the stream endpoint's requests: they live as long as a page stays open, so rendering
    // into their scope would keep every component until the page closes.
    internal static readonly object LongLivedRequestKey = new();

    private static readonly object RequestGateKey = new();

    public Task<string> RenderComponentAsync<TComponent>(object? parameters = null) where TComponent : IComponent
    {
        // A dictionary's entries or an anonymous object's properties, read as routing reads route values.
        var view = parameters is null ? ParameterView.Empty : ParameterView.FromDictionary(new RouteValueDictionary(parameters));
        return CurrentRequest() is { } context
            ? RenderInRequestAsync<TComponent>(context, view)
            : RenderAloneAsync<TComponent>(view);
    }

    /// <summary>
    /// The request to render with, or null. A request whose response has started (a WebSocket,
    /// a streamed response) can no longer take the anti-forgery cookie, and lives long: render alone.
    /// </summary>
    private HttpContext? CurrentRequest() =>
        http.HttpContext is { Response.HasStarted: false } context && !context.Items.ContainsKey(LongLivedRequestKey) ? context : null;

    private async Task<string> RenderInRequestAsync<TComponent>(HttpContext context, ParameterView parameters) where TComponent : IComponent
    {
        var prerenderer = context.RequestServices.GetRequiredService<IComponentPrerenderer>();
        // Called by a component while the request's renderer renders it (we are on its dispatcher):
        // a second root begun inside that render left the whole page empty, so render alone.
        if (prerenderer.Dispatcher.CheckAccess()) return await RenderAloneAsync<TComponent>(parameters);

        // The request's prerenderer is not safe for concurrent calls; renders started together
        // in one handler (Task.WhenAll) take turns.
        var gate = (SemaphoreSlim)(context.Items[RequestGateKey] ??= new SemaphoreSlim(1, 1));
        await gate.WaitAsync(context.RequestAborted);
        try
        {
            // No render mode: static HTML, without the markers interactive components would need.
            var content = await prerenderer.PrerenderComponentAsync(context, typeof(TComponent), null!, parameters);
            await using var writer = new StringWriter();
            await content.WriteToAsync(writer);
            return writer.ToString();
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<string> RenderAloneAsync<TComponent>(ParameterView parameters) where TComponent : IComponent
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync<TComponent>(parameters)).ToHtmlString());
    }
}
