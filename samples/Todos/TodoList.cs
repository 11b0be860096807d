using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Claims;

namespace Todos;

/// <summary>Each user's todos, in memory.</summary>
internal sealed class TodoList
{
    private readonly ConcurrentDictionary<string, ImmutableList<Todo>> _byUser = new();
    private int _lastId;

    /// <summary>The id pushes know the user by too: SignalR's default user id is the NameIdentifier claim.</summary>
    public static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier)!;

    public IReadOnlyList<Todo> Of(ClaimsPrincipal user) => _byUser.GetValueOrDefault(UserId(user), []);

    public Todo Add(ClaimsPrincipal user, string text)
    {
        var todo = new Todo(Interlocked.Increment(ref _lastId), text);
        _byUser.AddOrUpdate(UserId(user), [todo], (_, todos) => todos.Add(todo));
        return todo;
    }
}
