using LoadCluster.Turbo;
using LoadCluster.Web.Board;
using LoadCluster.Web.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LoadCluster.Web.Tests.Live;

/// <summary>
/// The push gate's rate cap on a fake clock: a sample every 10 ms for 3 s on one page's stream,
/// the gate's clock moved by the test alone. Exact: the push times, and the value the last push carries.
/// </summary>
public sealed class PushGateTests
{
    private const int Cap = 4;
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly GateClock _clock = new();
    private readonly RecordingPush _push;
    private readonly DateTimeOffset _start;
    private int _latest;

    public PushGateTests()
    {
        _push = new RecordingPush(_clock);
        _start = _clock.GetUtcNow();
    }

    [Fact]
    public async Task A_busy_page_gets_at_most_the_cap_of_pushes_a_second_and_the_last_carries_the_latest_sample()
    {
        var gate = Gates().Open("hosts", "view", _ => Task.FromResult(new PushResult($"v{Volatile.Read(ref _latest)}", false)));

        for (var sample = 0; sample < 300; sample++)
        {
            if (sample > 0) await AdvanceAsync();
            Volatile.Write(ref _latest, sample);
            await RequestAsync(gate);
        }
        // The samples stop: the clock goes on until the gate waits for nothing.
        while (_clock.Waiting) await AdvanceAsync();

        var pushes = _push.Pushes;
        // Busy, the page gets a push every 1/Cap s, from the first sample on, and never more often.
        Assert.Equal(Enumerable.Range(0, 13).Select(i => i * 250.0), pushes.Select(p => (p.At - _start).TotalMilliseconds));
        foreach (var (at, _) in pushes) Assert.InRange(pushes.Count(p => p.At >= at && p.At < at + TimeSpan.FromSeconds(1)), 1, Cap);
        // Latest value wins: the last push carries the last sample, which arrived after the one before it.
        Assert.Equal("v299", pushes[^1].Markup);

        // A quiet page gets its next change at once.
        _clock.Advance(TimeSpan.FromSeconds(5));
        Volatile.Write(ref _latest, 300);
        await RequestAsync(gate);
        Assert.Equal((TimeSpan.FromSeconds(8), "v300"), (_push.Pushes[^1].At - _start, _push.Pushes[^1].Markup));
    }

    private PushGates Gates()
    {
        var options = Options.Create(new LoadBoardOptions { MaxPushesPerSecond = Cap });
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        return new PushGates(_push, new WebMetrics(meters, new HostBoard(_clock, options)), options, _clock, NullLogger<PushGate>.Instance);
    }

    /// <summary>Marks the stream changed and waits until the gate has pushed or is waiting for its clock.</summary>
    private async Task RequestAsync(PushGate gate)
    {
        var pushed = _push.Pushes.Count;
        gate.Request();
        await Wait.UntilAsync(() => Task.FromResult(_clock.Waiting || _push.Pushes.Count > pushed), Patience, "the gate pushed or waits", TimeSpan.FromMilliseconds(1));
    }

    /// <summary>Moves the clock one step; when that ends the gate's wait, waits for the push it owes (a change is pending whenever it waits).</summary>
    private async Task AdvanceAsync()
    {
        var pushed = _push.Pushes.Count;
        var waited = _clock.Waiting;
        _clock.Advance(Step);
        if (waited && !_clock.Waiting)
            await Wait.UntilAsync(() => Task.FromResult(_push.Pushes.Count > pushed), Patience, "the push after the wait", TimeSpan.FromMilliseconds(1));
    }

    /// <summary>A fake clock that tells whether a timer (the gate's Task.Delay) is due later than now.</summary>
    private sealed class GateClock : FakeTimeProvider
    {
        private readonly List<DateTimeOffset> _due = [];

        public bool Waiting
        {
            get
            {
                lock (_due) return _due.Exists(due => due > GetUtcNow());
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_due) _due.Add(GetUtcNow() + dueTime);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    /// <summary>One local client of every stream; each push recorded with the gate's clock.</summary>
    private sealed class RecordingPush(TimeProvider clock) : ITurboPush
    {
        private readonly List<(DateTimeOffset At, string Markup)> _pushes = [];

        public List<(DateTimeOffset At, string Markup)> Pushes
        {
            get
            {
                lock (_pushes) return [.. _pushes];
            }
        }

        public ValueTask ToLocalSubscribersAsync(string streamName, string streams, CancellationToken ct = default)
        {
            lock (_pushes) _pushes.Add((clock.GetUtcNow(), streams));
            return ValueTask.CompletedTask;
        }

        public int LocalSubscriberCount(string streamName) => 1;

        public int LocalConnectionCount => 1;

        public Task ToAllAsync(string streams, CancellationToken ct = default) => throw new NotSupportedException();

        public Task ToStreamsAsync(IReadOnlyList<string> streamNames, string streams, CancellationToken ct = default) => throw new NotSupportedException();

        public Task ToStreamsAsync(string streamName, string streams, CancellationToken ct = default) => throw new NotSupportedException();

        public Task ToUsersAsync(IReadOnlyList<string> userIds, string streams, CancellationToken ct = default) => throw new NotSupportedException();

        public Task ToUsersAsync(string userId, string streams, CancellationToken ct = default) => throw new NotSupportedException();
    }
}
