using LoadCluster.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddLoadBoard();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapLoadBoard();

app.Run();
