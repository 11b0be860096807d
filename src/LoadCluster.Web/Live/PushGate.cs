using System.Diagnostics;

namespace LoadCluster.Web.Live;

/// <summary>
/// The gate every live stream pushes through (made by <see cref="PushGates"/>). Rules, per stream:
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
/// <item>A stream no client here listens to renders nothing.</item>
/// </list>
/// A new client's state goes through the same gate (<see cref="ExclusiveAsync{T}"/>), so it never
/// interleaves with a push. A push asked for under a kept span (a sample's journey, a traced relay
/// batch) is traced as that span's child, "push {kind}": the render and the writes to the clients;
/// where several asked for one push, the first of them.
/// </summary>
internal sealed class PushGate(PushGates gates, string stream, string kind, Func<int, Task<PushResult>> render, Action? failed, Action? idle)
{
    private readonly Lock _flags = new();
    // Never disposed: a SemaphoreSlim whose wait handle is never asked for holds nothing to free,
    // and streams come and go with their subscribers.
    private readonly SemaphoreSlim _exclusive = new(1, 1);
    private readonly TimeProvider _time = gates.Time;
    private bool _wanted;
    private bool _running;
    private long _notBefore;
    private long _lastStart;
    private ActivityContext _cause;

    public string Stream => stream;

    /// <summary>Marks the stream changed; starts a push now unless one runs or the rate says wait.</summary>
    public void Request()
    {
        lock (_flags)
        {
            _wanted = true;
            if (_cause == default && Activity.Current is { Recorded: true } cause) _cause = cause.Context;
            if (_running) return;
            _running = true;
        }
        _ = Task.Run(RunAsync);
    }

    /// <summary>Runs <paramref name="work"/> while no push runs; the next push waits a full interval after it.</summary>
    public async Task<T> ExclusiveAsync<T>(Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _exclusive.WaitAsync();
        try
        {
            return await work();
        }
        finally
        {
            // The new client's state is queued right after it is made; a push rendered later must
            // not overtake it, so give it an interval's head start.
            lock (_flags) _notBefore = Math.Max(_notBefore, _time.GetTimestamp() + Ticks(gates.MinInterval));
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
                wait = _notBefore - _time.GetTimestamp();
            }
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / _time.TimestampFrequency), _time);
                continue;
            }
            await _exclusive.WaitAsync();
            var started = _time.GetTimestamp();
            var result = PushResult.Nothing;
            Activity? span = null;
            var current = Activity.Current;
            try
            {
                ActivityContext cause;
                // A new client's state may have been made while this waited for the gate.
                lock (_flags)
                {
                    if (_notBefore > started) continue;
                    _wanted = false;
                    (cause, _cause) = (_cause, default);
                }
                if (gates.Subscribers(stream) == 0)
                {
                    idle?.Invoke();
                    continue;
                }
                if (cause != default) span = WebTracing.StartPush(cause, stream, kind)?.SetTag("loadcluster.push.clients", gates.Subscribers(stream));
                var since = _lastStart == 0 ? 1 : (double)(started - _lastStart) / _time.TimestampFrequency;
                _lastStart = started;
                var budget = (int)Math.Clamp(gates.BytesPerSecond * since, gates.BytesPerSecond * gates.MinInterval.TotalSeconds, gates.BytesPerSecond);
                result = await render(budget);
                if (result.Markup is { } markup) await gates.SendAsync(stream, kind, markup);
                span?.SetTag("loadcluster.push.bytes", result.Markup?.Length ?? 0);
            }
            catch (Exception e)
            {
                span?.SetStatus(ActivityStatusCode.Error, e.Message);
                WebLog.PushFailed(gates.Logger, stream, e);
                failed?.Invoke();
            }
            finally
            {
                span?.Dispose();
                Activity.Current = current;
                _exclusive.Release();
            }
            var bytes = result.Markup?.Length ?? 0;
            var spacing = Math.Max(Ticks(gates.MinInterval), Ticks(TimeSpan.FromSeconds((double)bytes / gates.BytesPerSecond)));
            lock (_flags)
            {
                _notBefore = Math.Max(_notBefore, started + spacing);
                if (result.More) _wanted = true;
            }
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}
