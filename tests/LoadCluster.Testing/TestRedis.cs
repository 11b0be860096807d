using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Testcontainers.Redis;

namespace LoadCluster.Testing;

/// <summary>
/// A real Redis in a container (Testcontainers.Redis), published on 127.0.0.1 only. Fault tests
/// do to it what an outage does: stop and start it, kill it, pause it. With a fixed port (the
/// default) it comes back where it was, so clients built on <see cref="ConnectionString"/>
/// reconnect by themselves. Disposing removes the container.
/// </summary>
public sealed class TestRedis : IAsyncDisposable
{
    /// <summary>Setting that names the image: the public one by default; <c>docker/build-base-images.sh</c> builds a stand-in where no registry is reachable.</summary>
    public const string ImageSetting = "LOADCLUSTER_TEST_REDIS_IMAGE";

    public const string DefaultImage = "redis:7-bookworm";

    private readonly RedisContainer _container;

    private TestRedis(RedisContainer container, int port)
    {
        _container = container;
        Port = port;
    }

    public static string Image => Environment.GetEnvironmentVariable(ImageSetting) is { Length: > 0 } image ? image : DefaultImage;

    /// <summary>The host port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>StackExchange.Redis configuration string for this Redis.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=2000";

    public string ContainerId => _container.Id;

    /// <param name="port">Host port to publish on; a free one when null. Fixed so a stopped Redis comes back on the same address.</param>
    public static async Task<TestRedis> StartAsync(int? port = null)
    {
        await DockerEngine.EnsureSettingsAsync();
        var hostPort = port ?? FreePort.Next();
        var container = await StartContainerAsync(() => new RedisBuilder(Image)
            .WithPortBinding(hostPort, RedisBuilder.RedisPort)
            // Publish on loopback only: tests never reach, nor expose, anything else.
            .WithCreateParameterModifier(create =>
            {
                foreach (var binding in create.HostConfig?.PortBindings?.Values.SelectMany(b => b) ?? []) binding.HostIP = "127.0.0.1";
            })
            .Build());
        return new TestRedis(container, hostPort);
    }

    /// <summary>Stops Redis as <c>docker stop</c> does (SIGTERM); <see cref="StartAsync()"/> brings it back with its data.</summary>
    public Task StopAsync() => _container.StopAsync();

    public Task StartAsync() => _container.StartAsync();

    /// <summary>SIGKILL, as a crash: no shutdown, sockets closed by the kernel.</summary>
    public Task KillAsync() => DockerEngine.CliAsync("kill", "--signal", "KILL", _container.Id);

    /// <summary>Freezes Redis with its sockets open: a server that hangs without closing connections.</summary>
    public Task PauseAsync() => _container.PauseAsync();

    public Task UnpauseAsync() => _container.UnpauseAsync();

    /// <summary>Runs <c>redis-cli</c> inside the container and returns its output; throws when it fails.</summary>
    public async Task<string> CliAsync(params string[] args)
    {
        var result = await _container.ExecAsync(["redis-cli", .. args]);
        return result.ExitCode == 0 ? result.Stdout.Trim() : throw new InvalidOperationException($"redis-cli {string.Join(' ', args)} failed ({result.ExitCode}): {result.Stderr}");
    }

    public ValueTask DisposeAsync() => _container.DisposeAsync();

    /// <summary>
    /// Builds and starts a container of the Redis image; when it cannot, says why: no engine, or
    /// the image missing and how to get it where no registry answers.
    /// </summary>
    internal static async Task<TContainer> StartContainerAsync<TContainer>(Func<TContainer> build, string? what = null) where TContainer : IContainer
    {
        TContainer container;
        try
        {
            container = build();
        }
        catch (Exception e) when (e is DockerUnavailableException or DockerConfigurationException)
        {
            throw new InvalidOperationException(DockerEngine.Missing(e.Message), e);
        }
        try
        {
            await container.StartAsync();
        }
        catch (Exception e)
        {
            await container.DisposeAsync();
            throw new InvalidOperationException((what is null ? "" : $"{what}: ") + StartFailed(Image, e.Message), e);
        }
        return container;
    }

    private static string StartFailed(string image, string detail) =>
        $"The Redis container ({image}) did not start: {detail.ReplaceLineEndings(" ")} Where no registry can be reached, build the image first " +
        $"('bash docker/build-base-images.sh' makes a local stand-in named {image}), or point {ImageSetting} at an image you have.";
}
