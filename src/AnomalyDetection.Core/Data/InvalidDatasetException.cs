namespace AnomalyDetection.Data;

/// <summary>Thrown when a dataset folder does not have the expected layout: a missing folder, a mask without its
/// image, an image format that cannot be decoded, and so on.</summary>
public sealed class InvalidDatasetException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public InvalidDatasetException()
        : this(null, "The dataset layout is invalid.")
    {
    }

    /// <summary>Creates an exception describing <paramref name="message"/>.</summary>
    /// <param name="message">What is wrong with the dataset.</param>
    public InvalidDatasetException(string message)
        : this(null, message)
    {
    }

    /// <summary>Creates an exception describing <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What is wrong with the dataset.</param>
    /// <param name="innerException">The lower-level failure.</param>
    public InvalidDatasetException(string message, Exception? innerException)
        : this(null, message, innerException)
    {
    }

    /// <summary>Creates an exception for the folder or file at <paramref name="datasetPath"/>.</summary>
    /// <param name="datasetPath">The folder or file at fault, or <see langword="null"/>.</param>
    /// <param name="problem">What is wrong, and if possible what was expected.</param>
    /// <param name="innerException">The lower-level failure, if any.</param>
    public InvalidDatasetException(string? datasetPath, string problem, Exception? innerException = null)
        : base(datasetPath is null ? problem : $"Invalid dataset at '{datasetPath}': {problem}", innerException)
    {
        DatasetPath = datasetPath;
    }

    /// <summary>The folder or file at fault, or <see langword="null"/>.</summary>
    public string? DatasetPath { get; }
}
