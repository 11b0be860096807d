using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Turbo.Tests.Browser;

/// <summary>The markup the page helpers write (the browser tests run it; these pin its exact form).</summary>
public sealed class PageHelperMarkupTests
{
    [Fact]
    public async Task Scripts_helper_serves_turbo_then_its_own_script_from_the_app()
    {
        await using var app = BuildApp();

        var html = await app.Services.GetRequiredService<ITurboRenderer>().RenderComponentAsync<TurboScripts>();

        Assert.Equal(
            "<script src=\"/_content/LoadCluster.Turbo/lib/turbo.es2017-umd.js\" defer data-turbo-track=\"reload\"></script>\n" +
            "<script src=\"/_content/LoadCluster.Turbo/turbo-stream-sources.js\" defer data-turbo-track=\"reload\"></script>\n",
            html);
    }

    [Fact]
    public async Task Scripts_helper_takes_the_pinned_turbo_from_the_cdn_when_one_is_set_but_keeps_its_own_script()
    {
        await using var app = BuildApp(turbo => turbo.CdnBaseUrl = "https://cdn.example/npm/");

        var html = await app.Services.GetRequiredService<ITurboRenderer>().RenderComponentAsync<TurboScripts>();

        Assert.Contains($"src=\"https://cdn.example/npm/@hotwired/turbo@8.0.23/dist/turbo.es2017-umd.js\" integrity=\"{TurboPageMarkup.TurboIntegrity}\" crossorigin=\"anonymous\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/_content/LoadCluster.Turbo/turbo-stream-sources.js\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_helper_emits_turbo_own_element_with_a_name_the_endpoint_verifies()
    {
        await using var app = BuildApp();
        var signer = app.Services.GetRequiredService<ITurboStreamNameSigner>();

        var html = await app.Services.GetRequiredService<ITurboRenderer>().RenderComponentAsync<TurboStreamFrom>(
            new Dictionary<string, object?> { [nameof(TurboStreamFrom.Stream)] = "host:web-1", [nameof(TurboStreamFrom.Transport)] = TurboTransport.EventStream });

        var signed = signer.Sign("host:web-1");
        Assert.Equal($"<turbo-stream-source src=\"/turbo-stream?stream={Uri.EscapeDataString(signed)}\" signed-stream-name=\"{HtmlEncoder.Default.Encode(signed)}\"></turbo-stream-source>", html);
        Assert.True(signer.TryVerify(signed, out var name));
        Assert.Equal("host:web-1", name);
    }

    [Fact]
    public void Without_a_stream_the_helper_is_the_page_own_connection_with_no_name()
    {
        var html = TurboPageMarkup.StreamFrom(null, TurboTransport.WebSocket, new TurboOptions(), Request("https", ""));

        Assert.Equal("<turbo-stream-source src=\"wss://board.example:8443/turbo-stream\"></turbo-stream-source>", html);
    }

    [Fact]
    public void Event_stream_source_url_follows_the_route_and_the_path_base()
    {
        var html = TurboPageMarkup.StreamFrom("aG9zdHM.sig", TurboTransport.EventStream, new TurboOptions { Route = "/live" }, Request("http", "/board/"));

        Assert.Equal("<turbo-stream-source src=\"/board/live?stream=aG9zdHM.sig\" signed-stream-name=\"aG9zdHM.sig\"></turbo-stream-source>", html);
    }

    [Theory]
    [InlineData("http", "ws")]
    [InlineData("https", "wss")]
    public void Socket_source_url_is_absolute_on_the_request_s_host_with_the_route_and_the_path_base(string scheme, string socketScheme)
    {
        var html = TurboPageMarkup.StreamFrom("aG9zdHM.sig", TurboTransport.WebSocket, new TurboOptions { Route = "/ws" }, Request(scheme, "/board/"));

        Assert.Equal($"<turbo-stream-source src=\"{socketScheme}://board.example:8443/board/ws?stream=aG9zdHM.sig\" signed-stream-name=\"aG9zdHM.sig\"></turbo-stream-source>", html);
    }

    [Fact]
    public void A_socket_outside_a_request_or_any_element_with_the_route_turned_off_says_why()
    {
        var outside = Assert.Throws<InvalidOperationException>(() => TurboPageMarkup.StreamFrom("aG9zdHM.sig", TurboTransport.WebSocket, new TurboOptions(), null));
        var off = Assert.Throws<InvalidOperationException>(() => TurboPageMarkup.StreamFrom("aG9zdHM.sig", TurboTransport.EventStream, new TurboOptions { Route = "" }, Request("http", "")));

        Assert.Contains("in a page request", outside.Message, StringComparison.Ordinal);
        Assert.Contains("Turbo:Route", off.Message, StringComparison.Ordinal);
    }

    private static Microsoft.AspNetCore.Http.HttpRequest Request(string scheme, string pathBase)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new Microsoft.AspNetCore.Http.HostString("board.example:8443");
        context.Request.PathBase = pathBase.TrimEnd('/');
        return context.Request;
    }

    [Fact]
    public async Task Tag_helper_with_an_unknown_transport_says_which_values_exist()
    {
        await using var app = BuildApp();

        var error = Assert.Throws<InvalidOperationException>(() =>
            Run(new TurboStreamFromTagHelper(app.Services) { Stream = "hosts", Transport = "long-polling" }, "turbo-stream-from"));

        Assert.Contains("transport=\"event-stream\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("transport=\"websocket\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_helper_with_an_empty_stream_name_says_how_to_write_it()
    {
        await using var app = BuildApp();

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() =>
            app.Services.GetRequiredService<ITurboRenderer>().RenderComponentAsync<TurboStreamFrom>(new Dictionary<string, object?> { [nameof(TurboStreamFrom.Stream)] = " " }));

        Assert.Contains("<TurboStreamFrom Stream=\"name\" />", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Helpers_used_without_AddTurbo_say_how_to_register_it()
    {
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TurboScripts>()).ToHtmlString()));
        var tagHelperError = Assert.Throws<InvalidOperationException>(() => Run(new TurboStreamFromTagHelper(services) { Stream = "hosts" }, "turbo-stream-from"));

        Assert.Contains("AddTurbo()", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, tagHelperError.Message);
    }

    [Fact]
    public async Task Tag_helpers_write_the_same_markup_as_the_components()
    {
        await using var app = BuildApp();
        var renderer = app.Services.GetRequiredService<ITurboRenderer>();
        var viewContext = new ViewContext { HttpContext = new DefaultHttpContext { RequestServices = app.Services } };

        Assert.Equal(await renderer.RenderComponentAsync<TurboScripts>(), Run(new TurboScriptsTagHelper(app.Services), "turbo-scripts"));
        Assert.Equal(
            await renderer.RenderComponentAsync<TurboStreamFrom>(new Dictionary<string, object?> { [nameof(TurboStreamFrom.Stream)] = "hosts", [nameof(TurboStreamFrom.Transport)] = TurboTransport.EventStream }),
            Run(new TurboStreamFromTagHelper(app.Services) { Stream = "hosts", Transport = "event-stream", ViewContext = viewContext }, "turbo-stream-from"));
        Assert.Equal(
            await renderer.RenderComponentAsync<TurboStreamFrom>(new Dictionary<string, object?> { [nameof(TurboStreamFrom.Transport)] = TurboTransport.EventStream }),
            Run(new TurboStreamFromTagHelper(app.Services) { Transport = "event-stream", ViewContext = viewContext }, "turbo-stream-from"));
    }

    [Fact]
    public void Scripts_helper_path_base_prefixes_every_local_url()
    {
        var html = TurboPageMarkup.Scripts(new TurboOptions(), new DefaultHttpContext { Request = { PathBase = "/board" } });

        Assert.Contains("src=\"/board/_content/LoadCluster.Turbo/lib/turbo.es2017-umd.js\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/board/_content/LoadCluster.Turbo/turbo-stream-sources.js\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Cdn_version_is_the_version_pinned_in_package_json()
    {
        using var packageJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "LoadCluster.Turbo", "package.json")));

        Assert.Equal(TurboPageMarkup.TurboVersion, packageJson.RootElement.GetProperty("dependencies").GetProperty("@hotwired/turbo").GetString());
    }

    [Fact]
    public void Cdn_integrity_hash_is_that_of_the_file_the_build_copied_from_npm()
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepositoryPaths.TurboWebRoot, "lib", "turbo.es2017-umd.js"));

        Assert.Equal(TurboPageMarkup.TurboIntegrity, "sha384-" + Convert.ToBase64String(SHA384.HashData(bytes)));
    }

    private static WebApplication BuildApp(Action<TurboOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddTurbo(turbo =>
        {
            turbo.SigningKey = "markup-tests-signing-key-0123456789-abcdefghij";
            configure?.Invoke(turbo);
        });
        return builder.Build();
    }

    private static string Run(TagHelper helper, string tagName)
    {
        var context = new TagHelperContext(new TagHelperAttributeList(), new Dictionary<object, object>(), "unique");
        var output = new TagHelperOutput(tagName, new TagHelperAttributeList(),
            (_, _) => Task.FromResult<TagHelperContent>(new DefaultTagHelperContent()));
        helper.Process(context, output);
        using var writer = new StringWriter();
        output.WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }
}
