using LoadCluster.Collector.Proc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LoadCluster.Collector;

/// <summary>What the executable does with its command line: run, <c>--check</c>, <c>--version</c>.</summary>
public static class CollectorCommand
{
    /// <summary>Exit codes: 0 success, 1 a setting, /proc or Redis problem (the message says which and how to fix it), 2 a bad command line.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        CollectorArguments arguments;
        try
        {
            arguments = CollectorArguments.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"loadcluster-collector: {e.Message}\n{CollectorArguments.Usage}");
            return 2;
        }
        switch (arguments.Mode)
        {
            case CollectorMode.Version:
                Console.WriteLine(CollectorVersion.Describe());
                return 0;
            case CollectorMode.Help:
                Console.WriteLine(CollectorArguments.Usage);
                return 0;
        }

        var file = arguments.EnvironmentFile ?? CollectorArguments.DefaultEnvironmentFile;
        try
        {
            using var host = Build(file, optional: arguments.EnvironmentFile is null);
            if (arguments.Mode == CollectorMode.Check) return await CollectorCheck.RunAsync(host, file, Console.Out);
            await host.RunAsync();
            return 0;
        }
        catch (Exception e) when (e is EnvironmentFileException or ProcFileException or OptionsValidationException or InvalidOperationException or ArgumentException)
        {
            // A configuration or /proc problem: the message says what is wrong and which setting fixes it.
            var what = arguments.Mode == CollectorMode.Check ? "check failed" : "cannot start";
            await Console.Error.WriteLineAsync($"loadcluster-collector {what}: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// The collector's host: settings from the environment file, then the environment (which wins);
    /// never from the command line.
    /// </summary>
    public static IHost Build(string environmentFile, bool optional)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(EnvironmentFile.Read(environmentFile, optional));
        // No appsettings.json ships with the collector: do not watch for one.
        configuration["hostBuilder:reloadConfigOnChange"] = "false";
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Configuration = configuration,
            ApplicationName = typeof(CollectorCommand).Assembly.GetName().Name,
        });
        builder.AddServiceDefaults().AddCollector();
        return builder.Build();
    }
}
