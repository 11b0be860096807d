using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Http;

namespace LoadCluster.Turbo;

/// <summary>
/// <c>&lt;TurboStreamFrom Stream="hosts" /&gt;</c>: Turbo's <c>&lt;turbo-stream-source&gt;</c>, listening to
/// a stream. The name is signed here, on the server, so the browser can only listen to streams a
/// page was rendered with. Without <see cref="Stream"/> it is the page's own connection, for pushes
/// to all and to its user: put that one in the layout.
/// </summary>
public sealed class TurboStreamFrom : ComponentBase
{
    [Inject] private IServiceProvider Services { get; set; } = default!;

    /// <summary>The stream name, e.g. "hosts"; none for the page's own connection.</summary>
    [Parameter] public string? Stream { get; set; }

    /// <summary>A WebSocket (the default), or <see cref="TurboTransport.EventStream"/> where WebSockets are blocked.</summary>
    [Parameter] public TurboTransport Transport { get; set; }

    // Cascaded during static server rendering; null under HtmlRenderer outside a request.
    [CascadingParameter] private HttpContext? HttpContext { get; set; }

    /// <inheritdoc />
    protected override void BuildRenderTree(RenderTreeBuilder builder) => builder.AddMarkupContent(0,
        TurboPageMarkup.StreamFrom(Services, Stream, Transport, HttpContext?.Request, "<TurboStreamFrom Stream=\"name\" />"));
}
