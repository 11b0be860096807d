using System.Net;
using System.Text.Encodings.Web;
using LoadCluster.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Turbo.Tests.Browser;

/// <summary>
/// A real Kestrel app on 127.0.0.1 using the library as an app would: AddTurbo, MapTurbo, pages
/// rendered with the page helpers, a form answered with a stream. It can be started again on the
/// same port (with the same signing key) to play a server that went away and came back.
/// </summary>
internal sealed class BrowserTestApp : IAsyncDisposable
{
    // The same on every start, as on every replica: names signed by one server verify on the next.
    private const string SigningKey = "browser-tests-signing-key-0123456789-abcdefghij";

    private readonly WebApplication _app;

    private BrowserTestApp(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public ITurboPush Push => _app.Services.GetRequiredService<ITurboPush>();

    public static async Task<BrowserTestApp> StartAsync(int? port = null, string serverName = "first")
    {
        var chosen = port ?? FreePort.Next();
        // A restart on the same port may briefly find it still held by the previous server's sockets.
        for (var attempt = 1; ; attempt++)
        {
            var app = Build(chosen, serverName);
            try
            {
                await app.StartAsync();
                return new BrowserTestApp(app, chosen);
            }
            catch (IOException) when (attempt < 20)
            {
                await app.DisposeAsync();
                await Task.Delay(500);
            }
        }
    }

    private static WebApplication Build(int port, string serverName)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        TestUsers.AddTo(builder.Services);
        builder.Services.AddTurbo(turbo => turbo.SigningKey = SigningKey);
        builder.Services.AddRazorComponents();
        builder.Services.AddSingleton(new NewsState.ServerName(serverName));
        builder.Services.AddTurboStreamState<NewsState>();

        var app = builder.Build();
        app.UseAuthentication();
        // A web project gets _content/LoadCluster.Turbo from static web assets; this test project is
        // not a web project, so it serves the library's wwwroot (as built, with wwwroot/lib) directly.
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = "/_content/LoadCluster.Turbo",
            FileProvider = new PhysicalFileProvider(RepositoryPaths.TurboWebRoot),
        });
        app.MapTurbo();
        app.MapGet("/", (ITurboRenderer renderer) => PageAsync(renderer, "One", ["board", "news"], """
            <h1 id="title">One</h1>
            <ul id="items"></ul>
            <div id="news"></div>
            <form id="add" method="post" action="/items"><input id="text" name="text"><button id="submit">Add</button></form>
            <a id="to-second" href="/second">Second page</a>
            """));
        // Rendered as a Razor component endpoint (static server rendering, with HttpContext), the
        // way a Blazor app renders its pages; "/" above goes through ITurboRenderer instead.
        app.MapGet("/second", () => new RazorComponentResult<HelperPage>(new Dictionary<string, object?>
        {
            [nameof(HelperPage.Title)] = "Two",
            [nameof(HelperPage.Streams)] = new[] { "second" },
            [nameof(HelperPage.Body)] = """
                <h1 id="title">Two</h1>
                <div id="second-target"></div>
                """,
        }));
        // The same page listening over Server-Sent Events, as on a network that blocks WebSockets.
        app.MapGet("/event-stream", (ITurboRenderer renderer) => PageAsync(renderer, "Events", ["board", "news"], """
            <h1 id="title">Events</h1>
            <ul id="items"></ul>
            <div id="news"></div>
            """, TurboTransport.EventStream));
        app.MapGet("/forged", (HttpRequest request) => Results.Content($$"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>Forged</title>{{TurboPageMarkup.Scripts(new TurboOptions(), request.HttpContext)}}</head><body>
            <turbo-stream-source src="ws://{{request.Host}}/turbo-stream?stream=Ym9hcmQ.bm90LWEtcmVhbC1tYWM" signed-stream-name="Ym9hcmQ.bm90LWEtcmVhbC1tYWM"></turbo-stream-source>
            <ul id="items"></ul>
            </body></html>
            """, "text/html; charset=utf-8"));
        app.MapPost("/items", AddItemAsync);
        return app;
    }

    private static async Task<IResult> PageAsync(ITurboRenderer renderer, string title, string[] streams, string body, TurboTransport transport = TurboTransport.WebSocket)
    {
        var html = await renderer.RenderComponentAsync<HelperPage>(new Dictionary<string, object?>
        {
            [nameof(HelperPage.Title)] = title,
            [nameof(HelperPage.Streams)] = streams,
            [nameof(HelperPage.Body)] = body,
            [nameof(HelperPage.Transport)] = transport,
        });
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static async Task<IResult> AddItemAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var item = $"<li class=\"item\">{HtmlEncoder.Default.Encode(form["text"].ToString())}</li>";
        return request.CanStream()
            ? TurboResults.Stream(TurboStream.Append("items", item).ToString())
            : TurboResults.SeeOther("/");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
