using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Detection;

/// <summary>Presents a detector's logger as the typed logger a component asks for, so that component's messages
/// reach the detector's log.</summary>
/// <typeparam name="T">The category the component expects.</typeparam>
internal sealed class ForwardingLogger<T>(ILogger inner) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, formatter);
}
