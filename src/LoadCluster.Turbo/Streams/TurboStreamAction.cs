namespace LoadCluster.Turbo;

/// <summary>
/// One <c>&lt;turbo-stream&gt;</c> element, built by <see cref="TurboStream"/>; <see cref="ToString"/> is its
/// exact markup. It converts to that markup implicitly, so it goes wherever stream markup does
/// (<see cref="ITurboPush"/>, <see cref="TurboResults.Stream(string)"/>, <see cref="ITurboStreamState"/>);
/// several go together through <see cref="TurboStream.Combine"/>.
/// </summary>
public readonly record struct TurboStreamAction
{
    internal TurboStreamAction(string markup) => Markup = markup;

    /// <summary>The element's markup.</summary>
    public string Markup { get; }

    /// <summary>The element's markup; a <c>default</c> action, which no builder makes, converts to null (and a push refuses it).</summary>
    public static implicit operator string(TurboStreamAction action) => action.Markup;

    /// <inheritdoc />
    public override string ToString() => Markup ?? "";
}
