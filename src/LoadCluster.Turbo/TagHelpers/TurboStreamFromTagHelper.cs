using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace LoadCluster.Turbo;

/// <summary><c>&lt;turbo-stream-from stream="hosts" /&gt;</c> for MVC and Razor Pages: the same markup as <see cref="TurboStreamFrom"/>.</summary>
[HtmlTargetElement("turbo-stream-from", TagStructure = TagStructure.WithoutEndTag)]
public sealed class TurboStreamFromTagHelper(IServiceProvider services) : TagHelper
{
    /// <summary>The stream name, e.g. "hosts".</summary>
    public string? Stream { get; set; }

    /// <summary>"signalr" (the default), "websocket" (leanest) or "event-stream", where WebSockets are blocked.</summary>
    public string? Transport { get; set; }

    /// <summary>The view being rendered (set by MVC), for the request's path base and user.</summary>
    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = default!;

    /// <inheritdoc />
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var stream = TurboPageMarkup.RequireStream(Stream, "<turbo-stream-from stream=\"name\" />");
        var transport = TurboPageMarkup.ParseTransport(Transport);
        var (options, signer) = TurboPageMarkup.Services(services);
        output.TagName = null;
        output.Content.SetHtmlContent(TurboPageMarkup.StreamFrom(signer.Sign(stream), transport, options, ViewContext?.HttpContext.Request));
    }
}
