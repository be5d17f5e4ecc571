namespace AnomalyDetection.Cli;

/// <summary>An expected failure caused by the user's input (a missing folder, a bad option value); reported as a
/// one-line message with exit code 1, never as a stack trace.</summary>
internal sealed class CliException(string message) : Exception(message);
