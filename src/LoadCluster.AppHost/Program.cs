using System.Runtime.InteropServices;
using LoadCluster.AppHost;

if (!CommandLine.TryParse(args, out var commandLine, out var error))
{
    await Console.Error.WriteLineAsync($"error: {error}\n{CommandLine.Usage}");
    return 2;
}
if (commandLine.Help)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context) { context.Cancel = true; stop.Cancel(); }
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

var options = ClusterOptions.FromEnvironment(commandLine.Replicas, commandLine.Port, Console.Out, colour: !Console.IsOutputRedirected);
try
{
    await using var cluster = await Cluster.StartAsync(options, stop.Token);
    Console.Write(ClusterSummary.Format(cluster));
    Console.WriteLine($"LoadCluster is up at {cluster.FrontDoor.ToString().TrimEnd('/')}");
    await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
    Console.WriteLine("stopping LoadCluster");
}
catch (ClusterStartException e)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.WriteLine("start cancelled; stopped what had started");
}
return 0;
