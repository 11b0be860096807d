using System.Diagnostics;
using System.Text;

namespace LoadCluster.Testing;

/// <summary>What a finished command printed and returned.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with the command and the end of its output unless it succeeded.</summary>
    public CommandResult Check()
    {
        if (Succeeded) return this;
        var tail = Output.Length > 6000 ? "..." + Output[^6000..] : Output;
        throw new InvalidOperationException($"'{Command}' exited with {ExitCode}:\n{tail}");
    }
}

/// <summary>Runs a command to completion (stdout and stderr merged), killing it if it outlives its timeout.</summary>
public static class CommandLine
{
    /// <param name="environment">Variables set for the command (on top of this process's own): where secrets go, never argv.</param>
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout,
        string? workingDirectory = null, string? stdin = null, Action<string>? onLine = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) psi.Environment[name] = value;
        var command = string.Join(' ', [file, .. psi.ArgumentList]);
        var output = new StringBuilder();
        void Collect(string? line)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
            onLine?.Invoke(line);
        }

        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new CommandResult(command, 127, $"{file} could not be started: {e.Message}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (output) return new CommandResult(command, -1, output + $"\n(killed after {timeout.TotalSeconds} s)");
        }
        lock (output) return new CommandResult(command, process.ExitCode, output.ToString());
    }
}
