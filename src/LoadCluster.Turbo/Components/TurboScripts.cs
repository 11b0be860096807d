using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Http;

namespace LoadCluster.Turbo;

/// <summary>
/// <c>&lt;TurboScripts /&gt;</c> in the page head: Turbo-Flask's <c>{{ turbo() }}</c>. Emits the script tags
/// for Turbo and for the library's small script that keeps stream elements connected, served by
/// the app itself (<c>_content/LoadCluster.Turbo/...</c>) unless <see cref="TurboOptions.CdnBaseUrl"/>
/// is set. Connections are elements in the body: <see cref="TurboStreamFrom"/>.
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
