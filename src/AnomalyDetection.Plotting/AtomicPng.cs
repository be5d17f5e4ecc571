using AnomalyDetection.Serialization;

namespace AnomalyDetection.Plotting;

/// <summary>Writes encoded pictures through a temporary file renamed over the target, so that a crash, a full disk or
/// a cancellation never leaves a truncated PNG where a complete one is expected.</summary>
internal static class AtomicPng
{
    public static Task WriteAsync(string path, byte[] png, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return AtomicFile.WriteAsync(path, stream => stream.WriteAsync(png, cancellationToken).AsTask(), cancellationToken);
    }
}
