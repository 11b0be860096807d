using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LoadCluster.AppHost.Tests;

/// <summary>
/// The AppHost's console and its own Redis, as a user runs it (<c>dotnet run</c>): a Redis that
/// does not answer is named with the setting that chose it, and a redis-server or Redis container
/// of its own that dies is started again by itself.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class RedisTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Up = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_killed_local_redis_server_is_started_again_by_itself_and_the_board_moves_again()
    {
        var port = FreePort.Next();
        await using var host = AppHostProcess.Start(["--replicas", "1", "--port", Text(port), "--redis", "local"]);
        await using var board = await OverviewJoinedAsync(host, port);
        var frontDoor = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var redis = RedisServer(host);

        var killedAt = TurboSocketClient.Now;
        using (var process = Process.GetProcessById(redis.Pid)) process.Kill();
        var killedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        output.WriteLine(await host.WaitForLineAsync(l => l.StartsWith("redis-server exited by itself (exit code ", StringComparison.Ordinal) && l.EndsWith("); starting it again.", StringComparison.Ordinal), TimeSpan.FromSeconds(10)));
        TimeSpan? moved = null;
        try
        {
            await Wait.UntilAsync(() => (moved = board.FirstSampleAfter(killedAt, killedAtMs)) is not null, TimeSpan.FromSeconds(30), "the board moved after the kill");
        }
        catch (TimeoutException)
        {
            // Said below, with what the socket, /health and the console show.
        }
        Assert.True(moved is not null, $"the board did not move within 30 s of the kill (socket {board.ClosedHow ?? "open"}, killed at {killedAt.TotalSeconds:0.0} s, {board.Messages.Count} messages, {board.Messages.Count(m => m.At > killedAt)} since; " +
            $"/health: {await http.GetStringAsync(new Uri(frontDoor, "health"))}); console:\n{host.Stdout}");
        output.WriteLine($"the board moved again {(moved.Value - killedAt).TotalSeconds:0.0} s after redis-server was killed");
        Assert.NotEqual(redis.Pid, RedisServer(host).Pid);
        Assert.False(board.Closed.IsCompleted, $"the page's socket {board.ClosedHow}: its replica went down with Redis");
    }

    [Fact]
    public async Task A_killed_redis_container_is_started_again_by_itself_and_the_board_moves_again()
    {
        var port = FreePort.Next();
        await using var host = AppHostProcess.Start(["--replicas", "1", "--port", Text(port), "--redis", "container"]);
        await using var board = await OverviewJoinedAsync(host, port);
        // The AppHost's container is named after its resource, "redis-" and a suffix of Aspire's.
        var container = await DockerEngine.CliAsync("ps", "-q", "--filter", "name=^redis-");
        Assert.False(string.IsNullOrEmpty(container) || container.Contains('\n', StringComparison.Ordinal), $"expected one Redis container of the AppHost, found '{container}'");

        var killedAt = TurboSocketClient.Now;
        await DockerEngine.CliAsync("kill", "--signal", "KILL", container);
        var killedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        output.WriteLine(await host.WaitForLineAsync(l => l.StartsWith("redis exited by itself (exit code ", StringComparison.Ordinal) && l.EndsWith("); starting it again.", StringComparison.Ordinal), TimeSpan.FromSeconds(30)));
        await Wait.UntilAsync(() => board.FirstSampleAfter(killedAt, killedAtMs) is not null, TimeSpan.FromSeconds(60), $"the board moved after the Redis container was killed; console:\n{host.Stdout}");
        output.WriteLine($"the board moved again {(board.FirstSampleAfter(killedAt, killedAtMs)!.Value - killedAt).TotalSeconds:0.0} s after the Redis container was killed");
        Assert.False(board.Closed.IsCompleted, $"the page's socket {board.ClosedHow}: its replica went down with Redis");
    }

    [Fact]
    public async Task Against_a_redis_that_does_not_answer_the_console_names_its_address_and_setting_within_15_s_and_the_cluster_comes_up_once_it_answers()
    {
        var redisPort = FreePort.Next();
        var port = FreePort.Next();
        var started = Stopwatch.StartNew();
        await using var host = AppHostProcess.Start(["--replicas", "1", "--port", Text(port)],
            new Dictionary<string, string> { ["ConnectionStrings__redis"] = $"127.0.0.1:{redisPort}" });

        await host.WaitForLineAsync(l => l.StartsWith($"Waiting for Redis at 127.0.0.1:{redisPort} (named by ConnectionStrings__redis): no answer for ", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15) - started.Elapsed);

        await using var redis = await TestRedis.StartAsync(redisPort);
        await host.WaitForLineAsync(l => l.StartsWith($"Redis at 127.0.0.1:{redisPort} answers after ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await host.WaitForLineAsync(l => l == $"LoadCluster is up at http://127.0.0.1:{port}", Up);
    }

    [Fact]
    public async Task A_local_redis_server_stopped_from_the_dashboard_stays_stopped()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LoadCluster_AppHost>(["--replicas", "1", "--redis", "local"]);
        await using var app = await builder.BuildAsync();
        using var start = new CancellationTokenSource(Up);
        await app.StartAsync(start.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("redis-server", start.Token);

        var stop = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync("redis-server", KnownResourceCommands.StopCommand);
        Assert.True(stop.Success, stop.Message);
        await app.ResourceNotifications.WaitForResourceAsync("redis-server", KnownResourceStates.TerminalStates, start.Token);
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.True(app.ResourceNotifications.TryGetCurrentState("redis-server", out var state));
        output.WriteLine($"after Stop: {state.Snapshot.State?.Text} exit code {state.Snapshot.ExitCode}");
        Assert.Contains(state.Snapshot.State?.Text, KnownResourceStates.TerminalStates);
        await app.StopAsync();
    }

    /// <summary>
    /// Once the AppHost on <paramref name="port"/> is up, the overview page's socket, joined (its state
    /// came first) before Redis goes: joining a stream subscribes in Redis.
    /// </summary>
    private static async Task<TurboSocketClient> OverviewJoinedAsync(AppHostProcess host, int port)
    {
        await host.WaitForLineAsync(l => l == $"LoadCluster is up at http://127.0.0.1:{port}", Up);
        var frontDoor = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var board = await TurboSocketClient.ConnectAsync(new Uri(frontDoor, "turbo-stream"), SignedStreamNames.FirstIn(await http.GetStringAsync(frontDoor))!, label: "overview");
        try
        {
            await board.NextAsync(TimeSpan.FromSeconds(30));
            return board;
        }
        catch
        {
            await board.DisposeAsync();
            throw;
        }
    }

    /// <summary>The redis-server this AppHost runs (its process title: "/usr/bin/redis-server ADDRESS").</summary>
    private static ProcessTree.Entry RedisServer(AppHostProcess host) =>
        Assert.Single(ProcessTree.Of(host.Pid), p => p.Command.Split(' ')[0].EndsWith("/redis-server", StringComparison.Ordinal));

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
