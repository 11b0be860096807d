using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LoadCluster.Turbo.Tests.Requests;

/// <summary>
/// The smallest app that follows Turbo's form rules: GET /messages shows a form and the list; a
/// POST from Turbo gets a stream that appends the message and resets the form, a POST without
/// JavaScript gets 303 back to the page, and an empty message re-renders the form with 422.
/// GET /messages/frame answers a Turbo-Frame request with only that frame.
/// </summary>
internal static class MessageFormDemo
{
    public static void Map(WebApplication app)
    {
        var messages = new ConcurrentQueue<string>();

        app.MapGet("/messages", () => Results.Content(Page(messages, Form(error: null)), "text/html; charset=utf-8"));

        app.MapPost("/messages", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var text = form["text"].ToString();
            if (string.IsNullOrWhiteSpace(text))
                return TurboResults.Unprocessable(Page(messages, Form(error: "Write a message first.")));
            messages.Enqueue(text);
            return request.CanStream()
                ? TurboResults.Stream(TurboStream.Combine(
                    TurboStream.Append("messages", Item(text)),
                    TurboStream.Replace("message-form", Form(error: null))))
                : TurboResults.SeeOther("/messages");
        });

        app.MapGet("/messages/frame", (HttpRequest request) => request.TurboFrame() is { } frame
            ? Results.Content($"<turbo-frame id=\"{HtmlEncoder.Default.Encode(frame)}\">framed</turbo-frame>", "text/html")
            : Results.Content(Page(messages, Form(error: null)), "text/html"));
    }

    internal static string Item(string text) => $"<li>{HtmlEncoder.Default.Encode(text)}</li>";

    private static string Form(string? error) =>
        "<form id=\"message-form\" action=\"/messages\" method=\"post\">"
        + (error is null ? "" : $"<p class=\"error\">{HtmlEncoder.Default.Encode(error)}</p>")
        + "<input name=\"text\"><button>Send</button></form>";

    private static string Page(IEnumerable<string> messages, string form) =>
        "<!DOCTYPE html><html><head><title>Messages</title></head><body><ul id=\"messages\">"
        + string.Concat(messages.Select(Item)) + "</ul>" + form + "</body></html>";
}
