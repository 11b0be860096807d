using System.Security.Cryptography;
using System.Text;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using LoadCluster.Samples;
using StackExchange.Redis;
using Testcontainers.Redis;

namespace LoadCluster.Testing;

/// <summary>
/// A real Redis in a container (Testcontainers.Redis), published on 127.0.0.1 only. Fault tests
/// do to it what an outage does: stop and start it, kill it, pause it. With a fixed port (the
/// default) it comes back where it was, so clients built on <see cref="ConnectionString"/>
/// reconnect by themselves. Disposing removes the container.
/// With <c>acl</c> it runs as a fleet's Redis does: users in an aclfile (ACL SAVE works, a restart
/// keeps them), <c>default</c> off, <see cref="ConnectionString"/> the admin user's; with
/// <see cref="TestTls"/> it speaks TLS only.
/// </summary>
public sealed class TestRedis : IAsyncDisposable
{
    /// <summary>Setting that names the image: the public one by default; <c>docker/build-base-images.sh</c> builds a stand-in where no registry is reachable.</summary>
    public const string ImageSetting = "LOADCLUSTER_TEST_REDIS_IMAGE";

    public const string DefaultImage = "redis:7-bookworm";

    /// <summary>Where the aclfile lives in the container (the data folder, writable by Redis for ACL SAVE).</summary>
    public const string AclFile = "/data/users.acl";

    private const string TlsFolder = "/tls";

    private readonly RedisContainer _container;
    private readonly string? _adminPassword;
    private readonly bool _tls;

    private TestRedis(RedisContainer container, int port, string? adminPassword, bool tls)
    {
        _container = container;
        Port = port;
        _adminPassword = adminPassword;
        _tls = tls;
    }

    public static string Image => Environment.GetEnvironmentVariable(ImageSetting) is { Length: > 0 } image ? image : DefaultImage;

    /// <summary>The host port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>StackExchange.Redis configuration string for this Redis (the admin user's where ACLs are on; TLS options where TLS is).</summary>
    public string ConnectionString => _adminPassword is null ? Endpoint : UserConnectionString("admin", _adminPassword);

    /// <summary>The endpoint and the test's timeouts (and ssl=true on a TLS Redis), with no user.</summary>
    public string Endpoint => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=2000" + (_tls ? ",ssl=true" : "");

    public string UserConnectionString(string user, string password) => $"{Endpoint},user={user},password={password}";

    /// <summary>
    /// Makes a user with the given rules (as the enrollment tool does, from <see cref="RedisAcl"/>)
    /// and returns its connection string. Needs <c>acl</c>.
    /// </summary>
    public async Task<string> CreateUserAsync(string user, IEnumerable<string> rules)
    {
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
        using var admin = await ConnectionMultiplexer.ConnectAsync(Admin());
        await admin.GetServer(admin.GetEndPoints()[0]).ExecuteAsync("ACL", ["SETUSER", user, "reset", "on", "#" + hash, .. rules]);
        return UserConnectionString(user, password);
    }

    /// <summary>The web replicas' user of the default prefix, made as <c>loadcluster-admin web add</c> makes it.</summary>
    public Task<string> CreateWebUserAsync()
    {
        var acl = new RedisAcl(new RedisNames());
        return CreateUserAsync(acl.WebUser, acl.WebRules);
    }

    /// <summary>The admin connection's options (TLS trust included), for tests that need more than the string.</summary>
    public ConfigurationOptions Admin(string? caFile = null)
    {
        var options = ConfigurationOptions.Parse(ConnectionString);
        options.AllowAdmin = true;
        if (_tls) options.TrustIssuer(caFile ?? throw new ArgumentException("a TLS Redis needs the CA file to trust", nameof(caFile)));
        return options;
    }

    public string ContainerId => _container.Id;

    /// <param name="port">Host port to publish on; a free one when null. Fixed so a stopped Redis comes back on the same address.</param>
    /// <param name="acl">Users in an aclfile, default off, the admin user's <see cref="ConnectionString"/>.</param>
    /// <param name="tls">TLS only, with this CA's server certificate (clients need not present one).</param>
    /// <param name="adminPassword">The admin user's password (with <paramref name="acl"/>; random when null): the same on several nodes.</param>
    public static async Task<TestRedis> StartAsync(int? port = null, bool acl = false, TestTls? tls = null, string? adminPassword = null)
    {
        await DockerEngine.EnsureSettingsAsync();
        var hostPort = port ?? FreePort.Next();
        adminPassword = acl ? adminPassword ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : null;
        List<string> command = ["redis-server"];
        List<string> cli = ["redis-cli"];
        var container = await StartContainerAsync(() =>
        {
            var builder = new RedisBuilder(Image);
            if (adminPassword is not null)
            {
                builder = builder.WithResourceMapping(Encoding.UTF8.GetBytes($"user default off\nuser admin on >{adminPassword} ~* &* +@all\n"), AclFile, fileMode: UnixFileModes.UserRead | UnixFileModes.UserWrite | UnixFileModes.GroupRead | UnixFileModes.OtherRead);
                command.AddRange(["--aclfile", AclFile]);
                cli.AddRange(["--user", "admin", "--pass", adminPassword, "--no-auth-warning"]);
            }
            if (tls is not null)
            {
                const UnixFileModes readable = UnixFileModes.UserRead | UnixFileModes.GroupRead | UnixFileModes.OtherRead;
                builder = builder
                    .WithResourceMapping(File.ReadAllBytes(tls.CaFile), $"{TlsFolder}/ca.crt", fileMode: readable)
                    .WithResourceMapping(File.ReadAllBytes(tls.ServerCertificateFile), $"{TlsFolder}/redis.crt", fileMode: readable)
                    .WithResourceMapping(File.ReadAllBytes(tls.ServerKeyFile), $"{TlsFolder}/redis.key", fileMode: readable);
                command.AddRange(["--port", "0", "--tls-port", RedisBuilder.RedisPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--tls-cert-file", $"{TlsFolder}/redis.crt", "--tls-key-file", $"{TlsFolder}/redis.key", "--tls-ca-cert-file", $"{TlsFolder}/ca.crt", "--tls-auth-clients", "no"]);
                cli.AddRange(["--tls", "--cacert", $"{TlsFolder}/ca.crt"]);
            }
            if (command.Count > 1)
                builder = builder.WithCommand([.. command]).WithWaitStrategy(DotNet.Testcontainers.Builders.Wait.ForUnixContainer().UntilCommandIsCompleted([.. cli, "ping"]));
            return builder
                .WithPortBinding(hostPort, RedisBuilder.RedisPort)
                // Publish on loopback only: tests never reach, nor expose, anything else.
                .WithCreateParameterModifier(create =>
                {
                    foreach (var binding in create.HostConfig?.PortBindings?.Values.SelectMany(b => b) ?? []) binding.HostIP = "127.0.0.1";
                })
                .Build();
        });
        return new TestRedis(container, hostPort, adminPassword, tls is not null) { _cli = [.. cli] };
    }

    private string[] _cli = ["redis-cli"];

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
        var result = await _container.ExecAsync([.. _cli, .. args]);
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
