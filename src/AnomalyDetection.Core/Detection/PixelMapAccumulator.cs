using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.Metrics;

namespace AnomalyDetection.Detection;

/// <summary>
/// Collects the anomaly maps of labelled images with their ground truth, for calibration's pixel threshold and for
/// evaluation's pixel metrics: a masked image adds its map with its mask, a normal image without one adds its map as
/// all-normal pixels, and an anomalous image without a mask adds nothing (where its lesion lies is unknown).
/// </summary>
/// <param name="input">Brings masks to the maps' geometry.</param>
/// <param name="datasetName">Names the dataset in messages.</param>
/// <param name="masksOfNormalImages">Whether a normal image's mask is used too (evaluation: the ground truth as
/// given) or its pixels count as normal whatever its mask (calibration: only lesions of anomalous images count).</param>
internal sealed class PixelMapAccumulator(InputPreparation input, string datasetName, bool masksOfNormalImages)
{
    /// <summary>The pixels collected so far.</summary>
    public PixelScoreAccumulator Pixels { get; } = new();

    /// <summary>The anomalous images whose maps were added with a mask.</summary>
    public int AnomaliesWithMasks { get; private set; }

    /// <summary>Adds one image's map.</summary>
    /// <param name="map">The pixel scores, row by row.</param>
    /// <param name="width">The map's width.</param>
    /// <param name="height">The map's height.</param>
    /// <param name="item">The labelled image the map belongs to.</param>
    /// <param name="image">The item's image, as loaded (its size checks the mask's).</param>
    /// <exception cref="InvalidDatasetException">The item's mask does not fit its image or the map.</exception>
    public void Add(ReadOnlySpan<float> map, int width, int height, LabeledImage item, ImageData image)
    {
        var anomalous = item.Label == AnomalyLabel.Abnormal;
        if (item.Mask is not null && (anomalous || masksOfNormalImages))
        {
            Pixels.Add(map, input.PreparedMask(item, image, datasetName, width, height), height, width);
            AnomaliesWithMasks += anomalous ? 1 : 0;
        }
        else if (!anomalous)
        {
            Pixels.AddNormal(map);
        }
    }
}
