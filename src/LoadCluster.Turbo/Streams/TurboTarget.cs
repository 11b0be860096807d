namespace LoadCluster.Turbo;

/// <summary>
/// What a stream action applies to: one element by id (<c>target</c>) or every element matching a
/// CSS selector (<c>targets</c>). A plain string converts to an element id.
/// </summary>
public readonly record struct TurboTarget
{
    private TurboTarget(string value, bool isSelector) => (Value, IsSelector) = (value, isSelector);

    /// <summary>The element id or the CSS selector.</summary>
    public string Value { get; }

    /// <summary>True for <c>targets</c> (a CSS selector), false for <c>target</c> (an element id).</summary>
    public bool IsSelector { get; }

    /// <summary>One element by id. An id must be non-empty and contain no whitespace (HTML's rule).</summary>
    public static TurboTarget Id(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0)
            throw new ArgumentException("A Turbo Stream target id must not be empty; pass the id of the element to change.", nameof(id));
        if (id.AsSpan().IndexOfAny(" \t\n\f\r") >= 0)
            throw new ArgumentException($"'{id}' is not a valid element id (it contains whitespace); pass the element's id, or use TurboTarget.Selector(...) for a CSS selector.", nameof(id));
        return new TurboTarget(id, isSelector: false);
    }

    /// <summary>Every element matching a CSS selector (Turbo's <c>targets</c> attribute).</summary>
    public static TurboTarget Selector(string cssSelector)
    {
        ArgumentNullException.ThrowIfNull(cssSelector);
        if (string.IsNullOrWhiteSpace(cssSelector))
            throw new ArgumentException("A Turbo Stream targets selector must not be empty; pass a CSS selector such as \".row\".", nameof(cssSelector));
        return new TurboTarget(cssSelector, isSelector: true);
    }

    /// <summary>A string is an element id.</summary>
    public static implicit operator TurboTarget(string id) => Id(id);

    /// <inheritdoc />
    public override string ToString() => Value ?? "";
}
