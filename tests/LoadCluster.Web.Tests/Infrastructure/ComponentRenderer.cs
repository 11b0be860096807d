using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Web.Tests.Infrastructure;

/// <summary>Renders a fragment component with Blazor's HtmlRenderer (as the relay does) and parses it with AngleSharp.</summary>
internal static class ComponentRenderer
{
    public static async Task<string> RenderAsync<T>(params (string Name, object? Value)[] parameters) where T : IComponent
    {
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var view = ParameterView.FromDictionary(parameters.ToDictionary(p => p.Name, p => p.Value));
            return (await renderer.RenderComponentAsync<T>(view)).ToHtmlString();
        });
    }

    /// <summary>Parses markup; table parts (rows, bodies) are parsed inside a table so they survive.</summary>
    public static IDocument Parse(string html)
    {
        var trimmed = html.TrimStart();
        var wrapped = trimmed.StartsWith("<tr", StringComparison.Ordinal) || trimmed.StartsWith("<tbody", StringComparison.Ordinal)
            ? $"<table>{html}</table>"
            : html;
        return new HtmlParser().ParseDocument(wrapped);
    }

    public static async Task<IDocument> RenderDocumentAsync<T>(params (string Name, object? Value)[] parameters) where T : IComponent =>
        Parse(await RenderAsync<T>(parameters));
}
