using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Turbo;

/// <summary>
/// Renders with a fresh Blazor <see cref="HtmlRenderer"/> per call: a renderer keeps every root
/// component it rendered until it is disposed, so a long-lived one would grow without bound in a
/// background service that renders forever. Creating one costs microseconds. Each render gets its
/// own service scope, as a request would: the renderer and the components it renders may need
/// scoped services, and the root provider must not hand those out (Development checks this).
/// </summary>
internal sealed class HtmlTurboRenderer(IServiceScopeFactory scopes, ILoggerFactory loggerFactory) : ITurboRenderer
{
    public async Task<string> RenderComponentAsync<TComponent>(IDictionary<string, object?>? parameters = null) where TComponent : IComponent
    {
        var view = parameters is null ? ParameterView.Empty : ParameterView.FromDictionary(parameters);
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var root = await renderer.RenderComponentAsync<TComponent>(view);
            return root.ToHtmlString();
        });
    }
}
