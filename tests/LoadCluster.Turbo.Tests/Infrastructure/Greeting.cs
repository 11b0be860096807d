using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace LoadCluster.Turbo.Tests.Infrastructure;

/// <summary>A Razor component written in C# (this project is not a Razor project): <c>&lt;p title="Name"&gt;Hello, Name&lt;/p&gt;</c>.</summary>
internal sealed class Greeting : ComponentBase
{
    [Parameter] public string Name { get; set; } = "";

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "p");
        builder.AddAttribute(1, "title", Name);
        builder.AddContent(2, "Hello, ");
        builder.AddContent(3, Name);
        builder.CloseElement();
    }
}
