using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Http;

namespace LoadCluster.Turbo;

/// <summary>
/// <c>&lt;TurboScripts /&gt;</c> in the page head: Turbo-Flask's <c>{{ turbo() }}</c>. Emits the hub URL,
/// who the page is for, and the script tags for the SignalR client, Turbo and the stream element,
/// served by the app itself (<c>_content/LoadCluster.Turbo/...</c>) unless <see cref="TurboOptions.CdnBaseUrl"/>
/// is set. The page connects to the hub with this alone (one connection, kept across Drive visits),
/// so pushes to all and to its user reach it; <see cref="TurboStreamFrom"/> adds streams.
/// </summary>
public sealed class TurboScripts : ComponentBase
{
    [Inject] private IServiceProvider Services { get; set; } = default!;

    // Cascaded during static server rendering; null under HtmlRenderer outside a request.
    [CascadingParameter] private HttpContext? HttpContext { get; set; }

    /// <inheritdoc />
    protected override void BuildRenderTree(RenderTreeBuilder builder) =>
        builder.AddMarkupContent(0, TurboPageMarkup.Scripts(TurboPageMarkup.Services(Services).Options, HttpContext));
}
