using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Turbo.Tests.Streams;

public sealed class RendererTests
{
    [Fact]
    public async Task A_component_renders_outside_any_request_with_hostile_values_encoded()
    {
        await using var app = await TurboTestApp.StartAsync();
        var renderer = app.Services.GetRequiredService<ITurboRenderer>();

        // A background thread with no HttpContext, as a hosted service would be.
        var html = await Task.Run(() => renderer.RenderComponentAsync<Greeting>(new Dictionary<string, object?> { ["Name"] = "<script>alert(\"x\")</script>" }));

        Assert.Equal("<p title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\">Hello, &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>", html);
        Assert.Equal("<turbo-stream action=\"append\" target=\"greetings\"><template>" + html + "</template></turbo-stream>",
            TurboStream.Append("greetings", html).ToString());
    }

    [Fact]
    public async Task Concurrent_renders_each_get_their_own_output()
    {
        await using var app = await TurboTestApp.StartAsync();
        var renderer = app.Services.GetRequiredService<ITurboRenderer>();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => renderer.RenderComponentAsync<Greeting>(new Dictionary<string, object?> { ["Name"] = $"n{i}" }))));

        for (var i = 0; i < results.Length; i++) Assert.Equal($"<p title=\"n{i}\">Hello, n{i}</p>", results[i]);
    }
}
