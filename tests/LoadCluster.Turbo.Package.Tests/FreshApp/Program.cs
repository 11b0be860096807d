using FreshApp;
using LoadCluster.Turbo;
using Microsoft.AspNetCore.Http.HttpResults;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddTurbo();

var app = builder.Build();
app.MapStaticAssets();
app.MapTurbo();
app.MapGet("/", () => new RazorComponentResult<HomePage>());
app.MapPost("/push", (ITurboPush push) => push.ToAllAsync(TurboStream.Update("target", "<p id=\"pushed\">from the package</p>")));
app.Run();
