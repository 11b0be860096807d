using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace LoadCluster.Turbo.Tests.Infrastructure;

/// <summary>A page component that itself renders a fragment with ITurboRenderer while it renders.</summary>
internal sealed class NestedRender : ComponentBase
{
    private string _fragment = "";

    [Inject] private ITurboRenderer Renderer { get; set; } = default!;

    protected override async Task OnInitializedAsync() =>
        _fragment = await Renderer.RenderComponentAsync<Greeting>(new { Name = "nested" });

    protected override void BuildRenderTree(RenderTreeBuilder builder) => builder.AddMarkupContent(0, _fragment);
}
