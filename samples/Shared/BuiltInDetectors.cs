using AnomalyDetection.Autoencoder;
using AnomalyDetection.Detection;
using AnomalyDetection.PatchGan;
using AnomalyDetection.Sagan;

namespace AnomalyDetection.Applications;

/// <summary>
/// The detector kinds that ship with the library, in the order messages list them. The CLI, the hosting sample and the
/// evaluation harness compile this one file (a linked source), so a new detector joins all three with one line here.
/// </summary>
internal static class BuiltInDetectors
{
    /// <summary>One descriptor per detector assembly.</summary>
    public static readonly DetectorCatalog Catalog = new(SaganDetector.Descriptor, PatchGanDetector.Descriptor, AutoencoderDetector.Descriptor);
}
