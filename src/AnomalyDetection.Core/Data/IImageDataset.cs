namespace AnomalyDetection.Data;

/// <summary>A named, ordered collection of labelled images. Items load their pixels on demand.</summary>
public interface IImageDataset : IReadOnlyList<LabeledImage>
{
    /// <summary>A name for logs and reports, such as <c>"lgg_flair/test"</c>.</summary>
    string Name { get; }
}
