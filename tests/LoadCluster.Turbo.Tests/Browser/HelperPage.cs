using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace LoadCluster.Turbo.Tests.Browser;

/// <summary>
/// A whole HTML page built with the library's page helpers, as an app's layout would use them: the
/// scripts in the head, the page's own connection (pushes to all and to its user), then its streams.
/// </summary>
public sealed class HelperPage : ComponentBase
{
    [Parameter] public string Title { get; set; } = "";

    [Parameter] public IReadOnlyList<string> Streams { get; set; } = [];

    [Parameter] public TurboTransport Transport { get; set; }

    /// <summary>Trusted test markup for the body, after the stream elements.</summary>
    [Parameter] public string Body { get; set; } = "";

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.AddMarkupContent(0, $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{Title}</title>\n");
        builder.OpenComponent<TurboScripts>(1);
        builder.CloseComponent();
        builder.AddMarkupContent(2, "</head><body>\n");
        builder.OpenComponent<TurboStreamFrom>(3);
        builder.AddComponentParameter(4, nameof(TurboStreamFrom.Transport), Transport);
        builder.CloseComponent();
        foreach (var stream in Streams)
        {
            builder.OpenComponent<TurboStreamFrom>(5);
            builder.AddComponentParameter(6, nameof(TurboStreamFrom.Stream), stream);
            builder.AddComponentParameter(7, nameof(TurboStreamFrom.Transport), Transport);
            builder.CloseComponent();
        }
        builder.AddMarkupContent(8, Body + "\n</body></html>");
    }
}
