using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Http;

namespace LoadCluster.Turbo;

/// <summary>
/// <c>&lt;TurboStreamFrom Stream="hosts" /&gt;</c>: subscribes the page to a stream. The name is signed
/// here, on the server, so the browser can only listen to streams a page was rendered with.
/// </summary>
public sealed class TurboStreamFrom : ComponentBase
{
    [Inject] private IServiceProvider Services { get; set; } = default!;

    /// <summary>The stream name, e.g. "hosts".</summary>
    [Parameter, EditorRequired] public string? Stream { get; set; }

    /// <summary>The SignalR hub (default), <see cref="TurboTransport.WebSocket"/> (leanest), or <see cref="TurboTransport.EventStream"/> where WebSockets are blocked.</summary>
    [Parameter] public TurboTransport Transport { get; set; }

    // Cascaded during static server rendering; null under HtmlRenderer outside a request.
    [CascadingParameter] private HttpContext? HttpContext { get; set; }

    /// <inheritdoc />
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        var stream = TurboPageMarkup.RequireStream(Stream, "<TurboStreamFrom Stream=\"name\" />");
        var (options, signer) = TurboPageMarkup.Services(Services);
        builder.AddMarkupContent(0, TurboPageMarkup.StreamFrom(signer.Sign(stream), Transport, options, HttpContext?.Request));
    }
}
