using Microsoft.AspNetCore.Components;

namespace LoadCluster.Turbo;

/// <summary>
/// Renders a Razor component to an HTML string for a stream's content, with or without an HTTP
/// request (a background service has no HttpContext). Values are HTML-encoded by Razor as usual.
/// </summary>
public interface ITurboRenderer
{
    /// <summary>Renders <typeparamref name="TComponent"/> with the given parameters to HTML.</summary>
    Task<string> RenderComponentAsync<TComponent>(IDictionary<string, object?>? parameters = null) where TComponent : IComponent;
}
