namespace LoadCluster.Turbo;

/// <summary>One <c>&lt;turbo-stream&gt;</c> element, built by <see cref="TurboStream"/>; <see cref="ToString"/> is its exact markup.</summary>
public readonly record struct TurboStreamAction
{
    internal TurboStreamAction(string markup) => Markup = markup;

    /// <summary>The element's markup.</summary>
    public string Markup { get; }

    /// <inheritdoc />
    public override string ToString() => Markup ?? "";
}
