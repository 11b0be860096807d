namespace Todos;

/// <summary>One thing to do.</summary>
public sealed record Todo(int Id, string Text);
