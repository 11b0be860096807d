using Microsoft.AspNetCore.Razor.TagHelpers;

namespace LoadCluster.Turbo;

/// <summary><c>&lt;turbo-stream-from stream="hosts" /&gt;</c> for MVC and Razor Pages: the same markup as <see cref="TurboStreamFrom"/>.</summary>
[HtmlTargetElement("turbo-stream-from", TagStructure = TagStructure.WithoutEndTag)]
public sealed class TurboStreamFromTagHelper(IServiceProvider services) : TagHelper
{
    /// <summary>The stream name, e.g. "hosts".</summary>
    public string? Stream { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var stream = TurboPageMarkup.RequireStream(Stream, "<turbo-stream-from stream=\"name\" />");
        output.TagName = null;
        output.Content.SetHtmlContent(TurboPageMarkup.StreamFrom(TurboPageMarkup.Services(services).Signer.Sign(stream)));
    }
}
