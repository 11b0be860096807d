using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Http;

namespace LoadCluster.Turbo.Tests.Infrastructure;

/// <summary>
/// A stream state rendered with ITurboRenderer, as an app's would be, by a component that says
/// whether it was rendered with a request's HttpContext.
/// </summary>
internal sealed class RenderedStreamState(ITurboRenderer renderer) : ITurboStreamState
{
    public async ValueTask<string?> GetCurrentAsync(string streamName, CancellationToken ct) =>
        await renderer.RenderComponentAsync<RequestProbe>();

    private sealed class RequestProbe : ComponentBase
    {
        [CascadingParameter] private HttpContext? HttpContext { get; set; }

        protected override void BuildRenderTree(RenderTreeBuilder builder) =>
            builder.AddContent(0, HttpContext is null ? "rendered alone" : "rendered with " + HttpContext.Request.Path);
    }
}
