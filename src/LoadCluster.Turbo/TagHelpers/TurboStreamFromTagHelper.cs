using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace LoadCluster.Turbo;

/// <summary><c>&lt;turbo-stream-from stream="hosts" /&gt;</c> for MVC and Razor Pages: the same markup as <see cref="TurboStreamFrom"/>.</summary>
[HtmlTargetElement("turbo-stream-from", TagStructure = TagStructure.WithoutEndTag)]
public sealed class TurboStreamFromTagHelper(IServiceProvider services) : TagHelper
{
    /// <summary>The stream name, e.g. "hosts"; none for the page's own connection (pushes to all and to its user).</summary>
    public string? Stream { get; set; }

    /// <summary>"websocket" (the default) or "event-stream", where WebSockets are blocked.</summary>
    public string? Transport { get; set; }

    /// <summary>The view being rendered (set by MVC), for the request's path base and user.</summary>
    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = default!;

    /// <inheritdoc />
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var transport = TurboPageMarkup.ParseTransport(Transport);
        output.TagName = null;
        output.Content.SetHtmlContent(
            TurboPageMarkup.StreamFrom(services, Stream, transport, ViewContext?.HttpContext.Request, "<turbo-stream-from stream=\"name\" />"));
    }
}
