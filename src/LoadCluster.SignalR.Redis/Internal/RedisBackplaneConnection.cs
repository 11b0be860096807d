using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LoadCluster.SignalR.Redis.Internal;

/// <summary>
/// This server's link to Redis, shared by the lifetime managers of every hub. The only type that
/// talks to StackExchange.Redis, so a client upgrade stays local to it.
/// </summary>
/// <remarks>
/// It keeps its own list of subscriptions, so that it can subscribe everything again when the
/// probe (a message this server publishes to itself every <see cref="RedisBackplaneOptions.ProbeInterval"/>)
/// stops coming back although the link says it is connected. First repair: unsubscribe and
/// subscribe again; if the probe still does not come back: a new multiplexer. A repair can lose
/// messages (pub/sub is at-most-once) but never duplicates one.
/// </remarks>
internal sealed class RedisBackplaneConnection : IAsyncDisposable
{
    private readonly RedisBackplaneOptions _options;
    private readonly ILogger<RedisBackplaneConnection> _logger;
    private readonly ConcurrentDictionary<string, Action<RedisChannel, RedisValue>> _subscriptions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _subscriptionLock = new(1, 1);
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly LogThrottle _publishFailureLog = new(TimeSpan.FromSeconds(1));
    private readonly string _endpoints;
    private readonly string _probeChannel;
    private volatile ConnectionMultiplexer? _multiplexer;
    private volatile ConnectionMultiplexer? _deafMultiplexer; // test seam, see MakeLinkDeaf
    private Task? _probeLoop;
    private long _lastProbeTicks;
    private long _watchSinceTicks;
    private int _silentChecks;

    public RedisBackplaneConnection(IOptions<RedisBackplaneOptions> options, ILogger<RedisBackplaneConnection> logger)
    {
        _options = options.Value;
        _logger = logger;
        ServerName = $"{Environment.MachineName}-{Guid.NewGuid():N}";
        _probeChannel = RedisChannels.Probe(_options.ChannelPrefix, ServerName);
        _endpoints = string.Join(",", ParseConfiguration().EndPoints.Select(FormatEndpoint));
    }

    /// <summary>Unique per process start; tells servers apart on the wire.</summary>
    public string ServerName { get; }

    public bool IsConnected => _multiplexer?.IsConnected == true;

    /// <summary>True while connected but the probe has not come back for three intervals.</summary>
    public bool ProbeSilent => Volatile.Read(ref _silentChecks) > 0;

    /// <summary>Connects once; later calls return at once. Never throws for an unreachable Redis.</summary>
    public async Task StartAsync()
    {
        if (_multiplexer is not null) return;
        await _connectLock.WaitAsync(_stopping.Token);
        try
        {
            if (_multiplexer is not null) return;
            Log.Connecting(_logger, _endpoints, ServerName);
            ConnectionMultiplexer multiplexer;
            try
            {
                multiplexer = await ConnectMultiplexerAsync();
            }
            catch (RedisException e)
            {
                BackplaneMetrics.Failure("connection");
                Log.ConnectFailed(_logger, _endpoints, e);
                throw;
            }
            _multiplexer = multiplexer;
            await SubscribeAsync(_probeChannel, _ => Interlocked.Exchange(ref _lastProbeTicks, Stopwatch.GetTimestamp()));
            if (multiplexer.IsConnected) Log.Connected(_logger, _endpoints);
            else Log.NotConnectedAtStart(_logger, _endpoints);
            Volatile.Write(ref _watchSinceTicks, Stopwatch.GetTimestamp());
            _probeLoop = Task.Run(ProbeLoopAsync);
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>Listens on a channel (literal name, never a pattern). Survives a Redis outage: it is subscribed again afterwards.</summary>
    public async Task SubscribeAsync(string channel, Action<byte[]> handler)
    {
        await StartAsync();
        Action<RedisChannel, RedisValue> redisHandler = (_, value) =>
        {
            if (_deafMultiplexer is { } deaf && ReferenceEquals(deaf, _multiplexer)) return;
            BackplaneMetrics.Received.Add(1);
            handler((byte[])value!);
        };
        await _subscriptionLock.WaitAsync();
        try
        {
            if (_subscriptions.TryGetValue(channel, out var previous))
            {
                // Two handlers on one channel would deliver every message twice: replace, never add.
                await _multiplexer!.GetSubscriber().UnsubscribeAsync(Literal(channel), previous).WaitAsync(_options.PublishTimeout);
            }
            _subscriptions[channel] = redisHandler;
            await SubscribeOnRedisAsync(channel, redisHandler);
        }
        finally
        {
            _subscriptionLock.Release();
        }
    }

    public async Task UnsubscribeAsync(string channel)
    {
        await _subscriptionLock.WaitAsync();
        try
        {
            if (!_subscriptions.TryRemove(channel, out var handler) || _multiplexer is not { } multiplexer) return;
            try
            {
                await multiplexer.GetSubscriber().UnsubscribeAsync(Literal(channel), handler).WaitAsync(_options.PublishTimeout);
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                // The multiplexer has forgotten the handler already; Redis drops the channel on the next reconnect.
                BackplaneMetrics.Failure("subscribe");
                Log.UnsubscribeFailed(_logger, channel, e);
            }
        }
        finally
        {
            _subscriptionLock.Release();
        }
    }

    /// <summary>
    /// Publishes, or fails fast: at once when the link is down, after <see cref="RedisBackplaneOptions.PublishTimeout"/>
    /// when Redis does not answer. Nothing is queued for later. Returns how many servers received it.
    /// </summary>
    public async Task<long> PublishAsync(string channel, byte[] payload, CancellationToken cancellationToken)
    {
        await StartAsync();
        var multiplexer = _multiplexer;
        if (multiplexer is null || !multiplexer.IsConnected)
            throw PublishFailed(channel, new InvalidOperationException("the Redis link is down"));
        try
        {
            var receivers = await multiplexer.GetSubscriber().PublishAsync(Literal(channel), payload).WaitAsync(_options.PublishTimeout, cancellationToken);
            BackplaneMetrics.Published.Add(1);
            return receivers;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            throw PublishFailed(channel, e);
        }
    }

    private IOException PublishFailed(string channel, Exception e)
    {
        BackplaneMetrics.Failure("publish");
        if (_publishFailureLog.ShouldLog(out var suppressed)) Log.PublishFailed(_logger, channel, suppressed, e);
        return new IOException($"The Redis backplane could not publish to other servers ({e.Message}). Nothing is retried; connections held by this server were not affected.", e);
    }

    /// <summary>Test seam: silently drops every subscription on the multiplexer, as a link that receives nothing would.</summary>
    internal Task BreakSubscriptionsSilentlyAsync() => _multiplexer!.GetSubscriber().UnsubscribeAllAsync();

    /// <summary>Test seam: the current multiplexer keeps saying it is connected but hands over nothing, whatever is subscribed on it.</summary>
    internal void MakeLinkDeaf() => _deafMultiplexer = _multiplexer;

    private async Task<ConnectionMultiplexer> ConnectMultiplexerAsync()
    {
        var configuration = ParseConfiguration();
        configuration.AbortOnConnectFail = false; // start without Redis; the multiplexer retries in the background
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration);
        multiplexer.ConnectionFailed += OnConnectionFailed;
        multiplexer.ConnectionRestored += OnConnectionRestored;
        return multiplexer;
    }

    private ConfigurationOptions ParseConfiguration() => ConfigurationOptions.Parse(_options.Configuration!);

    private async Task SubscribeOnRedisAsync(string channel, Action<RedisChannel, RedisValue> handler)
    {
        try
        {
            // 1.2.6 records the handler first and sends SUBSCRIBE again after every reconnect, so a
            // failure here is repaired by the reconnect or, failing that, by the probe.
            await _multiplexer!.GetSubscriber().SubscribeAsync(Literal(channel), handler).WaitAsync(_options.PublishTimeout);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            BackplaneMetrics.Failure("subscribe");
            Log.SubscribeFailed(_logger, channel, e);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        BackplaneMetrics.Failure("connection");
        Log.ConnectionFailed(_logger, e.ConnectionType.ToString(), FormatEndpoint(e.EndPoint), e.FailureType.ToString(), e.Exception);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            BackplaneMetrics.Reconnects.Add(1);
            Volatile.Write(ref _watchSinceTicks, Stopwatch.GetTimestamp()); // give the fresh link a full grace period
        }
        Log.ConnectionRestored(_logger, e.ConnectionType.ToString(), FormatEndpoint(e.EndPoint));
    }

    private async Task ProbeLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.ProbeInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                await CheckProbeAsync();
                if (!IsConnected) continue;
                try
                {
                    await _multiplexer!.GetSubscriber().PublishAsync(Literal(_probeChannel), Stopwatch.GetTimestamp()).WaitAsync(_options.PublishTimeout, _stopping.Token);
                }
                catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
                {
                    BackplaneMetrics.Failure("probe");
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task CheckProbeAsync()
    {
        if (!IsConnected) return; // a link that is down is the multiplexer's to restore, and health says so already
        var lastProbe = Volatile.Read(ref _lastProbeTicks);
        var watchSince = Volatile.Read(ref _watchSinceTicks);
        var probeSinceWatch = lastProbe > watchSince;
        var silence = Stopwatch.GetElapsedTime(probeSinceWatch ? lastProbe : watchSince);
        if (silence <= 3 * _options.ProbeInterval)
        {
            // Only a probe that arrived after the last repair proves the link works again.
            if (probeSinceWatch && Interlocked.Exchange(ref _silentChecks, 0) > 0) Log.ProbeRecovered(_logger);
            return;
        }
        var attempt = Interlocked.Increment(ref _silentChecks);
        BackplaneMetrics.Failure("probe");
        try
        {
            if (attempt == 1)
            {
                Log.ProbeSilent(_logger, silence, "subscribing again");
                await ResubscribeAllAsync();
            }
            else
            {
                Log.ProbeSilent(_logger, silence, "new connection");
                await ReconnectAsync();
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            Log.RepairFailed(_logger, e);
        }
        Volatile.Write(ref _watchSinceTicks, Stopwatch.GetTimestamp());
    }

    private async Task ResubscribeAllAsync()
    {
        await _subscriptionLock.WaitAsync(_stopping.Token);
        try
        {
            await _multiplexer!.GetSubscriber().UnsubscribeAllAsync().WaitAsync(_options.PublishTimeout);
            foreach (var (channel, handler) in _subscriptions) await SubscribeOnRedisAsync(channel, handler);
        }
        finally
        {
            _subscriptionLock.Release();
        }
    }

    private async Task ReconnectAsync()
    {
        await _subscriptionLock.WaitAsync(_stopping.Token);
        try
        {
            // Connect first (if that fails, the old link stays), close the old link, then subscribe on
            // the new one: a gap may lose messages, an overlap would duplicate them.
            var fresh = await ConnectMultiplexerAsync();
            var old = _multiplexer!;
            old.ConnectionFailed -= OnConnectionFailed;
            old.ConnectionRestored -= OnConnectionRestored;
            await old.CloseAsync(allowCommandsToComplete: false);
            old.Dispose();
            _multiplexer = fresh;
            BackplaneMetrics.Reconnects.Add(1);
            foreach (var (channel, handler) in _subscriptions) await SubscribeOnRedisAsync(channel, handler);
        }
        finally
        {
            _subscriptionLock.Release();
        }
    }

    private static RedisChannel Literal(string name) => new(name, RedisChannel.PatternMode.Literal);

    private static string FormatEndpoint(EndPoint? endpoint) => endpoint switch
    {
        null => "(unknown)",
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endpoint.ToString() ?? "(unknown)",
    };

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_probeLoop is not null) await _probeLoop;
        if (_multiplexer is { } multiplexer)
        {
            multiplexer.ConnectionFailed -= OnConnectionFailed;
            multiplexer.ConnectionRestored -= OnConnectionRestored;
            await multiplexer.CloseAsync(allowCommandsToComplete: false);
            multiplexer.Dispose();
        }
        _stopping.Dispose();
    }
}
