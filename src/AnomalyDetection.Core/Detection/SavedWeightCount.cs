using System.Collections.Concurrent;
using System.Text.Json;
using AnomalyDetection.Engine;
using AnomalyDetection.ModelFiles;
using TorchSharp;

namespace AnomalyDetection.Detection;

/// <summary>
/// The number of float32 weight elements a detector of given options saves in a model file, counted from the network
/// itself (<see cref="DetectorOptions.CreateSavedNetwork"/>) built on the <c>meta</c> device: shapes without storage,
/// so counting the network a forged manifest describes allocates nothing of it.
/// </summary>
public static class SavedWeightCount
{
    // A network is built once per distinct options; the bound keeps a long-running process from collecting options.
    private const int CacheCapacity = 256;
    private static readonly ConcurrentDictionary<string, long> Cache = new(StringComparer.Ordinal);
    private static readonly torch.Device Meta = torch.device(DeviceType.META);

    /// <summary>The elements of every parameter and buffer of the network <paramref name="options"/> describe.</summary>
    /// <param name="options">Valid options.</param>
    /// <returns>The element count; 0 when the detector names no saved network.</returns>
    public static long Of(DetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = options.GetType().FullName + JsonSerializer.Serialize(options, options.GetType(), ModelFile.JsonOptions);
        if (Cache.TryGetValue(key, out var count))
        {
            return count;
        }

        count = Count(options);
        if (Cache.Count >= CacheCapacity)
        {
            Cache.Clear();
        }

        Cache[key] = count;
        return count;
    }

    private static long Count(DetectorOptions options)
    {
        using var scope = torch.NewDisposeScope();
        using var device = LayerDevice.Use(Meta);
        using var network = options.CreateSavedNetwork();
        return network is null ? 0 : StateDicts.ElementCount(network);
    }
}
