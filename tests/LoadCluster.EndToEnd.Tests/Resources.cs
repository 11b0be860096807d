using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LoadCluster.EndToEnd.Tests;

/// <summary>
/// The latest state of every resource instance (each web replica apart), as the AppHost's
/// resource notifications tell it, kept from the start of the run.
/// </summary>
public sealed class Resources : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ResourceEvent> _latest = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;

    public Resources(ResourceNotificationService notifications)
    {
        _watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in notifications.WatchAsync(_stop.Token)) _latest[change.ResourceId] = change;
            }
            catch (OperationCanceledException) { }
        });
    }

    /// <summary>Instances of <paramref name="resource"/> that run and are healthy.</summary>
    public IReadOnlyList<ResourceEvent> Healthy(string resource) =>
        _latest.Values.Where(e => e.Resource.Name == resource && IsUp(e)).OrderBy(e => e.ResourceId, StringComparer.Ordinal).ToList();

    public ResourceEvent? Instance(string resourceId) => _latest.TryGetValue(resourceId, out var e) ? e : null;

    public async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        try
        {
            await Wait.UntilAsync(condition, timeout, what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; resources: {Describe()}", e);
        }
    }

    public string Describe() => string.Join(", ", _latest.Values.OrderBy(e => e.ResourceId, StringComparer.Ordinal)
        .Select(e => $"{e.ResourceId} {e.Snapshot.State?.Text}/{e.Snapshot.HealthStatus}"));

    public static bool IsUp(ResourceEvent e) => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        _stop.Dispose();
    }
}
