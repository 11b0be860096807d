namespace LoadCluster.Web.Relay;

/// <summary>
/// Pushes to one stream's local subscribers, coalescing. Rules, per stream:
/// <list type="number">
/// <item>A change (<see cref="Request"/>) on a stream that pushed nothing for at least
/// 1/<c>MaxPushesPerSecond</c> is pushed at once: an idle board keeps its latency.</item>
/// <item>At most one push is rendered or written at a time; changes meanwhile only set a flag, and
/// the next push, rendered from the board as it is then, carries all of them once: latest value wins.</item>
/// <item>Pushes start at least 1/<c>MaxPushesPerSecond</c> apart, and after a push of B bytes the
/// next waits B/<c>MaxBytesPerSecond</c>. Each push may carry what the byte rate allows for the time
/// since the previous one (at most a second's worth), so a busy replica that pushes less often
/// sends more per push: messages and bytes per client per second are bounded either way.</item>
/// <item>A push that could not send everything asks for another, so once changes stop every client
/// still reaches the latest state: nothing is lost.</item>
/// </list>
/// The subscribe-time state goes through the same gate (<see cref="ExclusiveAsync{T}"/>), so it
/// never interleaves with a push.
/// </summary>
internal abstract class CoalescedStream(string name, TimeProvider time, TimeSpan minInterval, int bytesPerSecond, ILogger logger)
{
    private readonly Lock _flags = new();
    // Never disposed: a SemaphoreSlim whose wait handle is never asked for holds nothing to free,
    // and streams come and go with their subscribers.
    private readonly SemaphoreSlim _exclusive = new(1, 1);
    private bool _wanted;
    private bool _running;
    private long _notBefore;
    private long _lastStart;

    public string Name => name;

    /// <summary>Marks the stream changed; starts a push now unless one runs or the rate says wait.</summary>
    public void Request()
    {
        lock (_flags)
        {
            _wanted = true;
            if (_running) return;
            _running = true;
        }
        _ = Task.Run(RunAsync);
    }

    /// <summary>Renders and sends one push of everything changed (within <paramref name="budget"/> bytes where it can choose); called one at a time.</summary>
    protected abstract Task<PushResult> PushAsync(int budget, CancellationToken ct);

    /// <summary>Runs <paramref name="work"/> while no push runs; the next push waits a full interval after it.</summary>
    protected async Task<T> ExclusiveAsync<T>(Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _exclusive.WaitAsync();
        try
        {
            lock (_flags) _notBefore = Math.Max(_notBefore, time.GetTimestamp() + Ticks(minInterval));
            return await work();
        }
        finally
        {
            // The hub writes a subscriber's state right after it is made; a push rendered later
            // must not overtake it on the wire, so give the write an interval's head start.
            lock (_flags) _notBefore = Math.Max(_notBefore, time.GetTimestamp() + Ticks(minInterval));
            _exclusive.Release();
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            long wait;
            lock (_flags)
            {
                if (!_wanted)
                {
                    _running = false;
                    return;
                }
                wait = _notBefore - time.GetTimestamp();
            }
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / time.TimestampFrequency), time);
                continue;
            }
            await _exclusive.WaitAsync();
            var started = time.GetTimestamp();
            var result = PushResult.Nothing;
            try
            {
                // A subscriber's state may have been made while this waited for the gate.
                lock (_flags)
                {
                    if (_notBefore > started) continue;
                    _wanted = false;
                }
                var since = _lastStart == 0 ? 1 : (double)(started - _lastStart) / time.TimestampFrequency;
                _lastStart = started;
                var budget = (int)Math.Clamp(bytesPerSecond * since, bytesPerSecond * minInterval.TotalSeconds, bytesPerSecond);
                result = await PushAsync(budget, CancellationToken.None);
            }
            catch (Exception e)
            {
                RelayLog.PushFailed(logger, name, e);
                OnFailed();
            }
            finally
            {
                _exclusive.Release();
            }
            var spacing = Math.Max(Ticks(minInterval), Ticks(TimeSpan.FromSeconds((double)result.Bytes / bytesPerSecond)));
            lock (_flags)
            {
                _notBefore = Math.Max(_notBefore, started + spacing);
                if (result.More) _wanted = true;
            }
        }
    }

    /// <summary>After a failed push what the clients hold is unknown; a stream with diff state forgets it here.</summary>
    protected virtual void OnFailed()
    {
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);
}
