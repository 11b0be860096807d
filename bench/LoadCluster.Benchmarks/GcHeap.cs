using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace LoadCluster.Benchmarks;

/// <summary>Another .NET process's GC heap, read over EventPipe (no tool to install).</summary>
internal static class GcHeap
{
    /// <summary>
    /// Makes the process run a full blocking collection (the GCHeapCollect keyword, as dotnet-gcdump
    /// does) and returns the size of its heap after it: live objects, not garbage awaiting a GC.
    /// </summary>
    public static async Task<long> AfterFullCollectionAsync(int pid)
    {
        var client = new DiagnosticsClient(pid);
        var provider = new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational,
            (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect));
        using var session = client.StartEventPipeSession([provider], requestRundown: false);
        var size = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var processing = Task.Run(() =>
        {
            using var source = new EventPipeEventSource(session.EventStream);
            source.Clr.GCHeapStats += stats => size.TrySetResult(stats.TotalHeapSize);
            source.Process();
        });
        try
        {
            return await size.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            session.Stop();
            await processing.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }
}
