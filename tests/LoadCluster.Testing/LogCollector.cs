using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace LoadCluster.Testing;

/// <summary>A logger provider that keeps every entry, so tests can check what a host logged.</summary>
public sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message);

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public IEnumerable<Entry> WithEventId(int id) => _entries.Where(e => e.EventId.Id == id);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception)));
    }
}
