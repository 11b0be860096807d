using System.Security.Claims;
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
    public async Task Scripts_helper_serves_the_app_own_files_in_dependency_order()
    {
        await using var app = BuildApp();

        var html = await app.Services.GetRequiredService<ITurboRenderer>().RenderComponentAsync<TurboScripts>();

        Assert.Equal(
            "<meta name=\"turbo-signalr-url\" content=\"/turbo-stream\">\n" +
            "<script src=\"/_content/LoadCluster.Turbo/lib/signalr.min.js\" defer data-turbo-track=\"reload\"></script>\n" +
            "<script src=\"/_content/LoadCluster.Turbo/lib/turbo.es2017-umd.js\" defer data-turbo-track=\"reload\"></script>\n" +
            "<script src=\"/_content/LoadCluster.Turbo/turbo-signalr.js\" defer data-turbo-track=\"reload\"></script>\n",
            html);
    }

    [Fact]
    public async Task Scripts_helper_takes_pinned_versions_from_the_cdn_when_one_is_set_but_keeps_its_own_element()
    {
        await using var app = BuildApp(turbo => turbo.CdnBaseUrl = "https://cdn.example/npm/");

        var html = await app.Services.GetRequiredService<ITurboRenderer>().RenderComponentAsync<TurboScripts>();

        Assert.Contains($"src=\"https://cdn.example/npm/@microsoft/signalr@10.0.11/dist/browser/signalr.min.js\" integrity=\"{TurboPageMarkup.SignalRIntegrity}\" crossorigin=\"anonymous\"", html, StringComparison.Ordinal);
        Assert.Contains($"src=\"https://cdn.example/npm/@hotwired/turbo@8.0.23/dist/turbo.es2017-umd.js\" integrity=\"{TurboPageMarkup.TurboIntegrity}\" crossorigin=\"anonymous\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/_content/LoadCluster.Turbo/turbo-signalr.js\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scripts_helper_leaves_out_the_hub_url_when_the_hub_is_off()
    {
        await using var app = BuildApp(turbo => turbo.WebSocketRoute = null);

        var html = await app.Services.GetRequiredService<ITurboRenderer>().RenderComponentAsync<TurboScripts>();

        Assert.DoesNotContain("turbo-signalr-url", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_helper_emits_the_element_with_a_name_the_hub_verifies()
    {
        await using var app = BuildApp();
        var signer = app.Services.GetRequiredService<ITurboStreamNameSigner>();

        var html = await app.Services.GetRequiredService<ITurboRenderer>().RenderComponentAsync<TurboStreamFrom>(
            new Dictionary<string, object?> { [nameof(TurboStreamFrom.Stream)] = "host:web-1" });

        var signed = signer.Sign("host:web-1");
        Assert.Equal($"<turbo-signalr-stream-source signed-stream-name=\"{HtmlEncoder.Default.Encode(signed)}\"></turbo-signalr-stream-source>", html);
        Assert.True(signer.TryVerify(signed, out var name));
        Assert.Equal("host:web-1", name);
    }

    [Fact]
    public async Task Stream_helper_with_the_event_stream_transport_emits_turbo_own_source_element()
    {
        await using var app = BuildApp();
        var signed = app.Services.GetRequiredService<ITurboStreamNameSigner>().Sign("host:web-1");

        var html = await app.Services.GetRequiredService<ITurboRenderer>().RenderComponentAsync<TurboStreamFrom>(
            new Dictionary<string, object?> { [nameof(TurboStreamFrom.Stream)] = "host:web-1", [nameof(TurboStreamFrom.Transport)] = TurboTransport.EventStream });

        Assert.Equal(
            $"<turbo-stream-source src=\"/turbo-stream/events?stream={signed}\" signed-stream-name=\"{signed}\"></turbo-stream-source>",
            html);
    }

    [Fact]
    public void Event_stream_source_url_follows_the_route_and_the_path_base()
    {
        var html = TurboPageMarkup.StreamFrom("aG9zdHM.sig", TurboTransport.EventStream, new TurboOptions { EventStreamRoute = "/sse" }, Request("http", "/board/"));

        Assert.Equal("<turbo-stream-source src=\"/board/sse?stream=aG9zdHM.sig\" signed-stream-name=\"aG9zdHM.sig\"></turbo-stream-source>", html);
    }

    [Theory]
    [InlineData("http", "ws")]
    [InlineData("https", "wss")]
    public void Socket_source_url_is_absolute_on_the_request_s_host_with_the_route_and_the_path_base(string scheme, string socketScheme)
    {
        var html = TurboPageMarkup.StreamFrom("aG9zdHM.sig", TurboTransport.WebSocket, new TurboOptions { SocketRoute = "/ws" }, Request(scheme, "/board/"));

        Assert.Equal($"<turbo-stream-source src=\"{socketScheme}://board.example:8443/board/ws?stream=aG9zdHM.sig\" signed-stream-name=\"aG9zdHM.sig\"></turbo-stream-source>", html);
    }

    [Fact]
    public void Socket_transport_outside_a_request_or_with_the_route_turned_off_says_why()
    {
        var outside = Assert.Throws<InvalidOperationException>(() => TurboPageMarkup.StreamFrom("aG9zdHM.sig", TurboTransport.WebSocket, new TurboOptions(), null));
        var off = Assert.Throws<InvalidOperationException>(() => TurboPageMarkup.StreamFrom("aG9zdHM.sig", TurboTransport.WebSocket, new TurboOptions { SocketRoute = "" }, Request("http", "")));

        Assert.Contains("in a page request", outside.Message, StringComparison.Ordinal);
        Assert.Contains("Turbo:SocketRoute", off.Message, StringComparison.Ordinal);
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
    public async Task Event_stream_transport_with_the_route_turned_off_names_the_setting()
    {
        await using var app = BuildApp(turbo => turbo.EventStreamRoute = "");

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() =>
            app.Services.GetRequiredService<ITurboRenderer>().RenderComponentAsync<TurboStreamFrom>(
                new Dictionary<string, object?> { [nameof(TurboStreamFrom.Stream)] = "hosts", [nameof(TurboStreamFrom.Transport)] = TurboTransport.EventStream }));
        var tagHelperError = Assert.Throws<InvalidOperationException>(() =>
            Run(new TurboStreamFromTagHelper(app.Services) { Stream = "hosts", Transport = "event-stream" }, "turbo-stream-from"));

        Assert.Contains("Turbo:EventStreamRoute", error.Message, StringComparison.Ordinal);
        Assert.Equal(error.Message, tagHelperError.Message);
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
    public async Task Stream_helper_without_a_stream_name_says_how_to_write_it()
    {
        await using var app = BuildApp();

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() =>
            app.Services.GetRequiredService<ITurboRenderer>().RenderComponentAsync<TurboStreamFrom>());

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

        // Both outside a request here (no HttpContext), so neither writes the user meta tag.
        var scripts = new TurboScriptsTagHelper(app.Services);
        var streamFrom = new TurboStreamFromTagHelper(app.Services) { Stream = "hosts" };

        Assert.Equal(await renderer.RenderComponentAsync<TurboScripts>(), Run(scripts, "turbo-scripts"));
        Assert.Equal(
            await renderer.RenderComponentAsync<TurboStreamFrom>(new Dictionary<string, object?> { [nameof(TurboStreamFrom.Stream)] = "hosts" }),
            Run(streamFrom, "turbo-stream-from"));
        Assert.Equal(
            await renderer.RenderComponentAsync<TurboStreamFrom>(new Dictionary<string, object?> { [nameof(TurboStreamFrom.Stream)] = "hosts", [nameof(TurboStreamFrom.Transport)] = TurboTransport.EventStream }),
            Run(new TurboStreamFromTagHelper(app.Services) { Stream = "hosts", Transport = "event-stream", ViewContext = viewContext }, "turbo-stream-from"));
    }

    [Fact]
    public void Scripts_helper_path_base_prefixes_every_local_url()
    {
        var html = TurboPageMarkup.Scripts(new TurboOptions(), new DefaultHttpContext { Request = { PathBase = "/board" } });

        Assert.Contains("content=\"/board/turbo-stream\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/board/_content/LoadCluster.Turbo/turbo-signalr.js\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Scripts_helper_in_a_request_says_who_the_page_is_for_as_a_hash_that_changes_with_the_user()
    {
        static string Marker(ClaimsPrincipal user)
        {
            var html = TurboPageMarkup.Scripts(new TurboOptions(), new DefaultHttpContext { User = user });
            var match = System.Text.RegularExpressions.Regex.Match(html, "<meta name=\"turbo-signalr-user\" content=\"([^\"]*)\">");
            Assert.True(match.Success, html);
            return match.Groups[1].Value;
        }
        static ClaimsPrincipal User(string id) => new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id)], "test"));

        Assert.Equal("", Marker(new ClaimsPrincipal(new ClaimsIdentity())));
        Assert.Equal(Marker(User("ann")), Marker(User("ann")));
        Assert.NotEqual(Marker(User("ann")), Marker(User("bob")));
        Assert.DoesNotContain("ann", Marker(User("ann")), StringComparison.Ordinal);
    }

    [Fact]
    public void Cdn_versions_are_the_versions_pinned_in_package_json()
    {
        using var packageJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "LoadCluster.Turbo", "package.json")));
        var dependencies = packageJson.RootElement.GetProperty("dependencies");

        Assert.Equal(TurboPageMarkup.TurboVersion, dependencies.GetProperty("@hotwired/turbo").GetString());
        Assert.Equal(TurboPageMarkup.SignalRVersion, dependencies.GetProperty("@microsoft/signalr").GetString());
    }

    [Theory]
    [InlineData("turbo.es2017-umd.js", TurboPageMarkup.TurboIntegrity)]
    [InlineData("signalr.min.js", TurboPageMarkup.SignalRIntegrity)]
    public void Cdn_integrity_hashes_are_those_of_the_files_the_build_copied_from_npm(string file, string integrity)
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepositoryPaths.TurboWebRoot, "lib", file));

        Assert.Equal(integrity, "sha384-" + Convert.ToBase64String(SHA384.HashData(bytes)));
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
