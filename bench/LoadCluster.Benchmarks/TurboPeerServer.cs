using System.Diagnostics;
using System.Globalization;
using System.Net;
using LoadCluster.Turbo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LoadCluster.Benchmarks;

/// <summary>
/// The peer benchmark's LoadCluster server, run as a process of its own
/// (<c>LoadCluster.Benchmarks turbo-server PORT REDIS</c>): the Turbo library as the Web wires it
/// (<c>AddTurbo().AddStackExchangeRedis()</c> on one shared multiplexer, <c>MapTurbo()</c>: the stream
/// endpoint), with stream "hosts" whose state is the message.
/// <c>POST /bench/broadcast</c> pushes the message through <see cref="ITurboPush.ToStreamsAsync(string, string, CancellationToken)"/>
/// (the backplane) as socketio-server.js does; <c>GET /bench/signed</c> gives the signed name;
/// <c>GET /bench/jit</c> the number of methods jitted so far.
/// </summary>
internal static class TurboPeerServer
{
    public const string SigningKey = "peer-benchmark-signing-key-0123456789";

    /// <summary>The same bytes as bench/peer/message.js.</summary>
    public static string Message(long run, long seq, long t) => string.Create(CultureInfo.InvariantCulture,
        $"<turbo-stream action=\"replace\" target=\"host-web-042\"><template><tr id=\"host-web-042\" class=\"live\" data-run=\"{run}\" data-seq=\"{seq}\" data-t=\"{t}\"><td class=\"host\"><a href=\"/hosts/web-042\">web-042</a></td><td class=\"num\">1.25</td><td class=\"num\">37%</td><td class=\"num\">61%</td><td>live</td></tr></template></turbo-stream>");

    public sealed record Broadcast(long Run, int Count, int IntervalMs, int InFlight);

    public static async Task<int> RunAsync(int port, string redis)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.Configuration["Turbo:SigningKey"] = SigningKey;
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis);
        builder.Services.AddSingleton<IConnectionMultiplexer>(multiplexer);
        builder.Services.AddTurbo().AddStackExchangeRedis(o => o.ConnectionFactory = _ => Task.FromResult<IConnectionMultiplexer>(multiplexer));
        builder.Services.AddTurboStreamState<State>();
        var app = builder.Build();
        app.MapTurbo();
        app.MapGet("/bench/signed", (ITurboStreamNameSigner signer) => signer.Sign("hosts"));
        // Methods compiled so far, all tiers: the benchmark reads it around the paced phase to show the JIT has settled.
        app.MapGet("/bench/jit", () => System.Runtime.JitInfo.GetCompiledMethodCount().ToString(CultureInfo.InvariantCulture));
        app.MapPost("/bench/broadcast", async (Broadcast b, ITurboPush push) =>
        {
            var inFlight = new List<Task>();
            for (var seq = 0; seq < b.Count; seq++)
            {
                var send = push.ToStreamsAsync("hosts", Message(b.Run, seq, Stopwatch.GetTimestamp()));
                if (b.IntervalMs > 0)
                {
                    await send;
                    await Task.Delay(b.IntervalMs);
                    continue;
                }
                // Flood: up to InFlight sends at once, as several request threads pushing would do.
                inFlight.Add(send);
                if (inFlight.Count >= b.InFlight) inFlight.Remove(await Task.WhenAny(inFlight));
            }
            await Task.WhenAll(inFlight);
            return Results.Json(new { });
        });
        await app.StartAsync();
        Console.WriteLine($"listening on {port}");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private sealed class State : ITurboStreamState
    {
        private static readonly string Markup = Message(-1, 0, 0);

        public ValueTask<string?> GetCurrentAsync(string streamName, CancellationToken ct) => ValueTask.FromResult<string?>(Markup);
    }
}
