using TorchSharp;

namespace AnomalyDetection.Engine;

/// <summary>
/// The device on which the layers of the networks here create their parameters, per thread: normally none given (the
/// CPU, where a network is built before it moves to its device), inside <see cref="Use"/> the device given there.
/// </summary>
/// <remarks>
/// It exists so that a network can be built on the <c>meta</c> device, with shapes but no storage, to count its
/// weights from the network itself (<see cref="Detection.SavedWeightCount"/>). TorchSharp's own
/// <c>torch.set_default_device</c> cannot serve: it is process-wide, so every tensor other threads created meanwhile
/// would land on the meta device too. Layers honour this one only where they pass it as their <c>device</c>.
/// </remarks>
public static class LayerDevice
{
    [ThreadStatic]
    private static torch.Device? t_current;

    /// <summary>The device for new layers on this thread; null for TorchSharp's default.</summary>
    public static torch.Device? Current => t_current;

    /// <summary>Builds layers on <paramref name="device"/>, on this thread, until the returned scope is disposed.</summary>
    /// <param name="device">The device, such as <c>torch.META</c>.</param>
    /// <returns>The scope; disposing it restores the previous device.</returns>
    public static IDisposable Use(torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var previous = t_current;
        t_current = device;
        return new Restore(previous);
    }

    private sealed class Restore(torch.Device? previous) : IDisposable
    {
        public void Dispose() => t_current = previous;
    }
}
