namespace AnomalyDetection.ModelFiles;

/// <summary>A model file that cannot be loaded: truncated, of another detector kind, of a newer format, or with
/// missing or misshaped weights. The message names the file and the problem.</summary>
public sealed class InvalidModelFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file path or a description of the stream.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public InvalidModelFileException(string source, string problem, Exception? inner = null)
        : base($"Model file '{source}': {problem}", inner)
    {
        Source = source;
        Problem = problem;
    }

    /// <summary>The file path or stream description.</summary>
    public new string Source { get; }

    /// <summary>What is wrong with the file.</summary>
    public string Problem { get; }
}
