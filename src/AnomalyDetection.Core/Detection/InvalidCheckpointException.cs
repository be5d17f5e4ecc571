namespace AnomalyDetection.Detection;

/// <summary>
/// A training checkpoint that cannot be resumed: empty, truncated or damaged, written by another detector, or by a run
/// with other settings or data. The message names the file and the problem; training stops before any step, so the
/// file is kept for the user to delete or move.
/// </summary>
public sealed class InvalidCheckpointException : InvalidOperationException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public InvalidCheckpointException()
        : this("The training checkpoint cannot be resumed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public InvalidCheckpointException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidCheckpointException(string message, Exception? innerException)
        : base(message, innerException)
    {
        FilePath = "";
        Problem = message;
    }

    /// <summary>Creates the exception for a checkpoint file and what is wrong with it.</summary>
    /// <param name="filePath">The checkpoint file.</param>
    /// <param name="problem">What is wrong, as a predicate of the file, such as "is empty".</param>
    /// <param name="innerException">The cause, if any.</param>
    public InvalidCheckpointException(string filePath, string problem, Exception? innerException)
        : base($"The checkpoint '{filePath}' {problem}; delete it or choose another CheckpointDirectory.", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The checkpoint file; empty when not known.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with the file, as a predicate of it (such as "is empty"), without advice.</summary>
    public string Problem { get; }
}
