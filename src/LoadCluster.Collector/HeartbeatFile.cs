using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.Collector;

/// <summary>
/// Rewrites <see cref="CollectorOptions.HeartbeatFile"/> after every sample, so a container health
/// check can tell a working collector (fresh file) from a stuck one: the collector has no HTTP port.
/// </summary>
internal sealed class HeartbeatFile(IOptions<CollectorOptions> options, TimeProvider time, ILogger<HeartbeatFile> logger)
{
    private readonly string? _path = options.Value.HeartbeatFile;
    private bool _failing;

    public void Touch()
    {
        if (string.IsNullOrEmpty(_path)) return;
        try
        {
            // The content is for people; health checks read the modification time.
            File.WriteAllText(_path, time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            _failing = false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!_failing) Log.HeartbeatFailed(logger, _path, e.Message);
            _failing = true;
        }
    }
}
