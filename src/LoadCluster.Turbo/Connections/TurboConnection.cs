using System.Threading.Tasks.Sources;
using Microsoft.AspNetCore.Http;

namespace LoadCluster.Turbo;

/// <summary>
/// One browser connection to the stream endpoint, whatever its framing: the pushes waiting for it,
/// and the one slow-client rule. A push is queued, never awaited by whoever pushes; the framing's
/// writer takes them one at a time (<see cref="NextAsync"/>). The rule, in bytes and time, as
/// Centrifugo's client queue: a connection is dropped (aborted; its page reconnects and gets the
/// stream's state first) when more than <see cref="TurboOptions.SlowClientQueueBytes"/> wait for
/// it, or when it has taken nothing for <see cref="TurboOptions.SlowClientTimeout"/> while markup
/// waits. A client that is merely busy keeps taking and loses nothing; a stuck one holds at most
/// the queue. An idle connection holds no queue.
/// </summary>
internal sealed class TurboConnection(HttpContext context, TurboOptions options, TimeProvider time) : IValueTaskSource<TurboMessage?>
{
    private readonly Lock _gate = new();
    private Queue<TurboMessage>? _queue;
    private long _queuedBytes;
    private long _lastTake = time.GetTimestamp();
    // The writer's wait, reused: waiting allocates nothing, and an idle connection holds no task. Its
    // continuation runs on the thread pool: run on the pusher's thread instead, each push was written
    // at once, one send each, and a flood cost the servers twice the CPU per delivery (peer benchmark).
    private ManualResetValueTaskSourceCore<TurboMessage?> _next = new() { RunContinuationsAsynchronously = true };
    private bool _waiting;
    private bool _closed;

    public HttpContext Context => context;

    /// <summary>Set when the rule dropped the connection (for the log and the tests).</summary>
    public string? DroppedBecause { get; private set; }

    public void Send(TurboMessage message)
    {
        lock (_gate)
        {
            if (_closed) return;
            // A writer waiting for work takes this one now: the clock runs only while it is busy.
            if (_waiting) _lastTake = time.GetTimestamp();
            var size = message.Utf8.Length;
            DroppedBecause = _queue is { Count: > 0 } && time.GetElapsedTime(_lastTake) > options.SlowClientTimeout
                ? $"it took nothing for {options.SlowClientTimeout.TotalSeconds:0.#} s while {_queuedBytes} bytes waited"
                : _queuedBytes + size > options.SlowClientQueueBytes ? $"more than {options.SlowClientQueueBytes} bytes waited for it" : null;
            if (DroppedBecause is not null) Close(discard: true); // the page reconnects and gets the state first: nothing stays missing
            else if (_waiting) Hand(message);
            else
            {
                (_queue ??= new Queue<TurboMessage>()).Enqueue(message);
                _queuedBytes += size;
            }
            if (DroppedBecause is null) return;
        }
        context.Abort();
    }

    /// <summary>The next push to write, or null once the connection is closed and nothing waits. Await each before asking again.</summary>
    public ValueTask<TurboMessage?> NextAsync()
    {
        lock (_gate)
        {
            _lastTake = time.GetTimestamp();
            if (_queue is { Count: > 0 } queue)
            {
                var message = queue.Dequeue();
                _queuedBytes -= message.Utf8.Length;
                if (queue.Count == 0) _queue = null; // an idle connection holds no queue
                return ValueTask.FromResult<TurboMessage?>(message);
            }
            if (_closed) return ValueTask.FromResult<TurboMessage?>(null);
            _next.Reset();
            _waiting = true;
            return new ValueTask<TurboMessage?>(this, _next.Version);
        }
    }

    /// <summary>No more pushes: the writer ends once it has written what waits (none when <paramref name="discard"/>).</summary>
    public void Close(bool discard = false)
    {
        lock (_gate)
        {
            _closed = true;
            if (discard) (_queue, _queuedBytes) = (null, 0);
            if (_waiting) Hand(null);
        }
    }

    // Under the lock; the writer continues on the thread pool (RunContinuationsAsynchronously).
    private void Hand(TurboMessage? message)
    {
        _waiting = false;
        _next.SetResult(message);
    }

    TurboMessage? IValueTaskSource<TurboMessage?>.GetResult(short token) => _next.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<TurboMessage?>.GetStatus(short token) => _next.GetStatus(token);

    void IValueTaskSource<TurboMessage?>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _next.OnCompleted(continuation, state, token, flags);
}
