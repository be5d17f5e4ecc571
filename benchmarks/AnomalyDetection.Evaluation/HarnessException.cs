namespace AnomalyDetection.Evaluation;

/// <summary>A problem with the harness's input (a configuration, a setting, a results file) reported as one line.</summary>
/// <param name="message">What is wrong, quoting the bad value.</param>
internal sealed class HarnessException(string message) : Exception(message);
