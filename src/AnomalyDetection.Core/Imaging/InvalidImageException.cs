namespace AnomalyDetection.Imaging;

/// <summary>
/// Thrown when image or volume data is malformed, truncated, or uses a feature this library does not decode.
/// </summary>
/// <remarks>
/// Every decoder reports bad input through this type only, so callers can skip a broken file in a dataset
/// without catching unrelated failures. The message names the file (when known) and the problem.
/// </remarks>
public sealed class InvalidImageException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public InvalidImageException()
        : this(null, "The image data is invalid.")
    {
    }

    /// <summary>Creates an exception describing <paramref name="message"/>.</summary>
    /// <param name="message">What is wrong with the data.</param>
    public InvalidImageException(string message)
        : this(null, message)
    {
    }

    /// <summary>Creates an exception describing <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What is wrong with the data.</param>
    /// <param name="innerException">The lower-level failure, for example a zlib error.</param>
    public InvalidImageException(string message, Exception? innerException)
        : this(null, message, innerException)
    {
    }

    /// <summary>Creates an exception for the file at <paramref name="filePath"/>.</summary>
    /// <param name="filePath">The file that was being decoded, or <see langword="null"/> for in-memory data.</param>
    /// <param name="problem">What is wrong with the data.</param>
    /// <param name="innerException">The lower-level failure, if any.</param>
    public InvalidImageException(string? filePath, string problem, Exception? innerException = null)
        : base(FormatMessage(filePath, problem), innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file that was being decoded, or <see langword="null"/> for in-memory data.</summary>
    public string? FilePath { get; }

    /// <summary>What is wrong with the data, without the file name.</summary>
    public string Problem { get; }

    private static string FormatMessage(string? filePath, string problem) =>
        filePath is null ? $"Invalid image data: {problem}" : $"Invalid image file '{filePath}': {problem}";
}
