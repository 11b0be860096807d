using System.Text.Encodings.Web;

namespace LoadCluster.Turbo;

/// <summary>
/// Builds Turbo 8 stream elements: <c>&lt;turbo-stream action="A" target="ID"&gt;&lt;template&gt;HTML&lt;/template&gt;&lt;/turbo-stream&gt;</c>.
/// Attribute values are HTML-encoded here. Content is HTML and is written as given: whoever builds
/// it must encode the values in it (a rendered Razor component or view already does). Turbo runs
/// scripts inside pushed fragments, so an unencoded value is script injection.
/// </summary>
public static class TurboStream
{
    /// <summary>Appends <paramref name="html"/> inside the target.</summary>
    public static TurboStreamAction Append(TurboTarget target, string html) => Build("append", target, html);

    /// <summary>Prepends <paramref name="html"/> inside the target.</summary>
    public static TurboStreamAction Prepend(TurboTarget target, string html) => Build("prepend", target, html);

    /// <summary>Replaces the target element itself; <paramref name="morph"/> morphs instead of swapping.</summary>
    public static TurboStreamAction Replace(TurboTarget target, string html, bool morph = false) => Build("replace", target, html, morph);

    /// <summary>Replaces the target's content; <paramref name="morph"/> morphs instead of swapping.</summary>
    public static TurboStreamAction Update(TurboTarget target, string html, bool morph = false) => Build("update", target, html, morph);

    /// <summary>Removes the target element.</summary>
    public static TurboStreamAction Remove(TurboTarget target) => Build("remove", target, html: null);

    /// <summary>Inserts <paramref name="html"/> before the target element.</summary>
    public static TurboStreamAction Before(TurboTarget target, string html) => Build("before", target, html);

    /// <summary>Inserts <paramref name="html"/> after the target element.</summary>
    public static TurboStreamAction After(TurboTarget target, string html) => Build("after", target, html);

    /// <summary>
    /// Makes the page re-fetch itself. Turbo ignores a refresh whose <paramref name="requestId"/>
    /// matches a request the same page made (so the sender does not refresh twice).
    /// </summary>
    public static TurboStreamAction Refresh(string? requestId = null)
    {
        if (requestId is not null && requestId.Length == 0)
            throw new ArgumentException("A refresh request id must not be empty; pass null for none.", nameof(requestId));
        var id = requestId is null ? "" : Attribute("request-id", requestId);
        return new TurboStreamAction($"<turbo-stream action=\"refresh\"{id}></turbo-stream>");
    }

    /// <summary>Joins several actions into one message, applied in order.</summary>
    public static string Combine(params IEnumerable<TurboStreamAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        return string.Concat(actions.Select(action => action.Markup));
    }

    private static TurboStreamAction Build(string action, TurboTarget target, string? html, bool morph = false)
    {
        if (target.Value is null)
            throw new ArgumentException("The target is empty; use an element id or TurboTarget.Selector(...).", nameof(target));
        if (html is null && action != "remove") throw new ArgumentNullException(nameof(html), $"The {action} action needs content; pass \"\" for none.");
        var attributes = Attribute(target.IsSelector ? "targets" : "target", target.Value) + (morph ? " method=\"morph\"" : "");
        var (open, close) = html is null ? ("", "") : ("<template>", "</template>");
        return new TurboStreamAction($"<turbo-stream action=\"{action}\"{attributes}>{open}{html}{close}</turbo-stream>");
    }

    private static string Attribute(string name, string value) => $" {name}=\"{HtmlEncoder.Default.Encode(value)}\"";
}
