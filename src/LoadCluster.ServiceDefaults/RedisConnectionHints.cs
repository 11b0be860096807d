using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace LoadCluster.ServiceDefaults;

/// <summary>
/// Says why Redis refuses this service's connection, naming the setting that fixes it: a server
/// certificate the service does not trust, a plaintext client at a TLS-only server (or the other
/// way round), a wrong or revoked user. StackExchange.Redis reports none of these on a connection
/// that never came up, so <see cref="ProbeAsync"/> makes one attempt of its own and reads its error.
/// </summary>
internal sealed class RedisConnectionHints(string connectionName, bool ssl)
{
    private string ConnectionSetting => $"ConnectionStrings:{connectionName} (env ConnectionStrings__{connectionName})";

    /// <summary>The options the service's connection was made with (set when Aspire creates it).</summary>
    public ConfigurationOptions? Options { get; set; }

    /// <summary>What an error says about the cause, with the fix; null when it says nothing we can name.</summary>
    public string? Explain(Exception? error) => error switch
    {
        null => null,
        AuthenticationException tls =>
            $"the server's TLS certificate is not trusted ({tls.Message}): set {RedisExtensions.CaFileSetting} (env LoadCluster__Redis__CaFile) to the CA certificate that signed it",
        RedisServerException refused when refused.Message.Contains("WRONGPASS", StringComparison.Ordinal) || refused.Message.Contains("NOAUTH", StringComparison.Ordinal) =>
            $"Redis refused the user and password in {ConnectionSetting}: they are wrong, or the user was revoked (enroll again: LoadCluster.Admin)",
        _ => Explain(error.InnerException),
    };

    /// <summary>One connection attempt with the service's own options; why it failed, or null when it worked or the cause is unknown.</summary>
    public async Task<string?> ProbeAsync()
    {
        if (Options?.Clone() is not { } options) return null;
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        try
        {
            using var probe = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            return null;
        }
        catch (RedisConnectionException e)
        {
            return Explain(e) ?? await ExplainSilenceAsync(options).ConfigureAwait(false);
        }
    }

    // No error from Redis itself: either nothing listens, or the server closed a handshake in the
    // other protocol (TLS-only Redis drops a plaintext client; a plaintext one cannot start TLS).
    private async Task<string?> ExplainSilenceAsync(ConfigurationOptions options)
    {
        if (options.EndPoints.FirstOrDefault() is not { } endpoint) return null;
        try
        {
            using var tcp = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await (endpoint switch
            {
                DnsEndPoint dns => tcp.ConnectAsync(dns.Host, dns.Port, timeout.Token),
                IPEndPoint ip => tcp.ConnectAsync(ip, timeout.Token),
                _ => ValueTask.CompletedTask,
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return null; // nothing listens: the usual outage line says it
        }
        return ssl
            ? $"the server accepts connections but not TLS: remove ssl=true from {ConnectionSetting}, or name the server's TLS port there"
            : $"the server closes plaintext connections, as a TLS-only Redis does: add ssl=true to {ConnectionSetting} (and set {RedisExtensions.CaFileSetting} when a private CA signed its certificate)";
    }
}
