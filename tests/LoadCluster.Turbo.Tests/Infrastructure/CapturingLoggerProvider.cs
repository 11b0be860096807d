using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Turbo.Tests.Infrastructure;

/// <summary>Keeps every log event's id and message, so a test can see which path the code took.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(EventId Id, string Message)> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(Events);

    public void Dispose() { }

    private sealed class Logger(ConcurrentQueue<(EventId, string)> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) events.Enqueue((eventId, formatter(state, exception)));
        }
    }
}
