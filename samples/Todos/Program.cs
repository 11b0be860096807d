using System.Security.Claims;
using LoadCluster.Turbo;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Todos;

// Turbo-Flask's todo example, with sign-in: a form post answered with a stream, the form re-rendered
// with 422 when it is empty, and each new todo pushed to every page its user has open.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddTurbo();
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie => cookie.LoginPath = "/signin");
builder.Services.AddAuthorization();
builder.Services.AddSingleton<TodoList>();

var app = builder.Build();
app.MapStaticAssets();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapTurbo();

app.MapGet("/signin", () => new RazorComponentResult<SignInPage>());
app.MapPost("/signin", ([FromForm] string name) => TypedResults.SignIn(
    new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, name)], CookieAuthenticationDefaults.AuthenticationScheme)),
    new AuthenticationProperties { RedirectUri = "/" }));

app.MapGet("/", (TodoList todos, ClaimsPrincipal user) => new RazorComponentResult<TodoPage>(new { Todos = todos.Of(user) })).RequireAuthorization();
app.MapPost("/todos", async ([FromForm] string? text, TodoList todos, ClaimsPrincipal user, HttpRequest request, ITurboRenderer renderer, ITurboPush push) =>
{
    if (string.IsNullOrWhiteSpace(text))
        return TurboResults.Unprocessable(await renderer.RenderComponentAsync<TodoPage>(new { Todos = todos.Of(user), Error = "Write what there is to do." }));
    var todo = todos.Add(user, text);
    // To the user, not to this page alone: every tab they have open gets it, this one included.
    await push.ToUsersAsync(TodoList.UserId(user), TurboStream.Append("todos", await renderer.RenderComponentAsync<TodoItem>(new { Todo = todo })));
    return request.CanStream()
        ? TurboResults.Stream(TurboStream.Replace("todo-form", await renderer.RenderComponentAsync<TodoForm>()))
        : TurboResults.SeeOther("/");
}).RequireAuthorization();
app.Run();
