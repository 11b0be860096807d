using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace LoadCluster.Turbo;

/// <summary><c>&lt;turbo-scripts /&gt;</c> for MVC and Razor Pages: the same markup as <see cref="TurboScripts"/>.</summary>
[HtmlTargetElement("turbo-scripts", TagStructure = TagStructure.WithoutEndTag)]
public sealed class TurboScriptsTagHelper(IServiceProvider services) : TagHelper
{
    /// <summary>The view being rendered (set by MVC), for the request's path base and user.</summary>
    [ViewContext, HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = default!;

    /// <inheritdoc />
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.TagName = null;
        output.Content.SetHtmlContent(TurboPageMarkup.Scripts(TurboPageMarkup.Services(services).Options, ViewContext?.HttpContext));
    }
}
