using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

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

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        var stream = TurboPageMarkup.RequireStream(Stream, "<TurboStreamFrom Stream=\"name\" />");
        builder.AddMarkupContent(0, TurboPageMarkup.StreamFrom(TurboPageMarkup.Services(Services).Signer.Sign(stream)));
    }
}
