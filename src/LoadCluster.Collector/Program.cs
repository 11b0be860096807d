using LoadCluster.Collector.Proc;
using Microsoft.Extensions.Options;

try
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.AddServiceDefaults().AddCollector();
    using var host = builder.Build();
    await host.RunAsync();
    return 0;
}
catch (Exception e) when (e is ProcFileException or OptionsValidationException or InvalidOperationException or ArgumentException)
{
    // A configuration or /proc problem: the message says what is wrong and which setting fixes it.
    await Console.Error.WriteLineAsync($"LoadCluster.Collector cannot start: {e.Message}");
    return 1;
}
