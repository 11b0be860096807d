using LoadCluster.Turbo;
using LoadDemo;
using Microsoft.AspNetCore.Http.HttpResults;

// Turbo-Flask's load average example: two pages show the machine's load, and a background loop
// pushes a fresh copy to every open page, on the connection their layout carries (<TurboStreamFrom />).
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddTurbo();
builder.Services.AddHostedService<LoadPusher>();

var app = builder.Build();
app.MapStaticAssets();
app.MapTurbo();
app.MapGet("/", () => new RazorComponentResult<HomePage>());
app.MapGet("/page2", () => new RazorComponentResult<Page2>());
app.Run();
