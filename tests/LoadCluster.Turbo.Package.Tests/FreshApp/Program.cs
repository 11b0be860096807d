using System.Text.Encodings.Web;
using FreshApp;
using LoadCluster.Turbo;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddTurbo();

var app = builder.Build();
app.MapStaticAssets();
app.UseAntiforgery();
app.MapTurbo();
app.MapGet("/", () => new RazorComponentResult<HomePage>());
app.MapPost("/push", (ITurboPush push) => push.ToAllAsync(TurboStream.Update("target", "<p id=\"pushed\">from the package</p>")));
app.MapPost("/say", ([FromForm] string words) => TurboResults.Stream(TurboStream.Append("said", $"<li>{HtmlEncoder.Default.Encode(words)}</li>")));
app.Run();
