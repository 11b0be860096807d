using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Http;

namespace LoadCluster.Turbo.Tests.Infrastructure;

/// <summary>
/// A form that needs the request: its anti-forgery token, the user (from the cascaded HttpContext)
/// and a link made from the request's base URI, as a real app's re-rendered form would.
/// </summary>
internal sealed class RequestForm : ComponentBase
{
    [CascadingParameter] private HttpContext? HttpContext { get; set; }

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Parameter] public string Label { get; set; } = "";

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "form");
        builder.AddAttribute(1, "method", "post");
        builder.AddAttribute(2, "action", Navigation.ToAbsoluteUri("submit").ToString());
        builder.AddAttribute(3, "data-user", HttpContext?.User.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "");
        builder.OpenComponent<AntiforgeryToken>(4);
        builder.CloseComponent();
        builder.AddContent(5, Label);
        builder.CloseElement();
    }
}
