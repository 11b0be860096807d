using System.Collections.Concurrent;
using System.Text;
using LoadCluster.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LoadCluster.ServiceDefaults.Tests;

/// <summary>
/// A local OTLP/HTTP endpoint (real Kestrel on a free loopback port) that keeps every request body
/// it receives, per signal path.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _bodies = new();

    private OtlpReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<OtlpReceiver> StartAsync()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, url);
        foreach (var signal in new[] { "traces", "metrics", "logs" })
        {
            app.MapPost($"/v1/{signal}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                receiver._bodies.GetOrAdd(signal, _ => new()).Enqueue(body.ToArray());
                context.Response.ContentType = "application/x-protobuf";
            });
        }
        await app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until some request for the signal contains every one of the given strings.</summary>
    public async Task<bool> WaitForAsync(string signal, TimeSpan timeout, params string[] texts)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_bodies.TryGetValue(signal, out var bodies)
                && bodies.Any(body => texts.All(text => Contains(body, text))))
                return true;
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>Whether any request received so far for the signal contains the string.</summary>
    public bool AnyContains(string signal, string text) =>
        _bodies.TryGetValue(signal, out var bodies) && bodies.Any(body => Contains(body, text));

    /// <summary>Every span received so far.</summary>
    public List<OtlpSpan> Spans() => [.. Bodies("traces").SelectMany(OtlpMessages.Spans)];

    /// <summary>Every metric received so far (one entry per metric per export).</summary>
    public List<OtlpMetric> Metrics() => [.. Bodies("metrics").SelectMany(OtlpMessages.Metrics)];

    /// <summary>Forgets what was received so far.</summary>
    public void Clear() => _bodies.Clear();

    private IEnumerable<byte[]> Bodies(string signal) => _bodies.TryGetValue(signal, out var bodies) ? bodies.ToArray() : [];

    // OTLP protobuf carries strings as raw UTF-8, so a byte search finds names and values.
    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
