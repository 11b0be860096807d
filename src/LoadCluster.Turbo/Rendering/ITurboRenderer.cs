using Microsoft.AspNetCore.Components;

namespace LoadCluster.Turbo;

/// <summary>
/// Renders a Razor component to an HTML string for a stream's content or a page, with or without
/// an HTTP request. During a request it renders as that request's page would: with the request's
/// services, user, <c>HttpContext</c> (cascaded) and anti-forgery token, so a re-rendered form still
/// carries <c>&lt;AntiforgeryToken /&gt;</c>. Outside one (a background service pushing) it renders in
/// a service scope of its own. Values are HTML-encoded by Razor as usual.
/// </summary>
public interface ITurboRenderer
{
    /// <summary>
    /// Renders <typeparamref name="TComponent"/> to HTML. <paramref name="parameters"/> are the
    /// component's parameters: an anonymous object (<c>new { Todo = todo }</c>), an
    /// <c>IDictionary&lt;string, object?&gt;</c> or <c>IReadOnlyDictionary&lt;string, object?&gt;</c>, or null for none.
    /// </summary>
    Task<string> RenderComponentAsync<TComponent>(object? parameters = null) where TComponent : IComponent;
}
