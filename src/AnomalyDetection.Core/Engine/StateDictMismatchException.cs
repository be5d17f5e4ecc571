using System.Text;

namespace AnomalyDetection.Engine;

/// <summary>
/// Thrown when a state dictionary does not fit a module; the message and properties list every problem at once,
/// so that one failed load shows the whole difference.
/// </summary>
public sealed class StateDictMismatchException : Exception
{
    /// <summary>Creates the exception from the lists of problems.</summary>
    /// <param name="moduleName">The module that was being loaded, for the message.</param>
    /// <param name="missingKeys">Keys the module needs that the state dictionary lacks.</param>
    /// <param name="unexpectedKeys">Keys in the state dictionary that the module does not have.</param>
    /// <param name="shapeMismatches">One line per key whose shapes differ.</param>
    public StateDictMismatchException(string moduleName, IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys,
        IReadOnlyList<string> shapeMismatches)
        : base(Describe(moduleName, missingKeys, unexpectedKeys, shapeMismatches))
    {
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        ShapeMismatches = shapeMismatches;
    }

    /// <summary>Keys the module needs that the state dictionary lacks.</summary>
    public IReadOnlyList<string> MissingKeys { get; }

    /// <summary>Keys in the state dictionary that the module does not have.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; }

    /// <summary>One line per key whose shapes differ, naming both shapes.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; }

    private static string Describe(string moduleName, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatched)
    {
        var sb = new StringBuilder("The state dictionary does not fit ").Append(moduleName).Append(':');
        AppendSection(sb, "missing keys", missing);
        AppendSection(sb, "unexpected keys", unexpected);
        AppendSection(sb, "shape mismatches", mismatched);
        return sb.ToString();
    }

    private static void AppendSection(StringBuilder sb, string title, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        sb.AppendLine().Append(lines.Count).Append(' ').Append(title).Append(':');
        foreach (var line in lines)
        {
            sb.AppendLine().Append("  ").Append(line);
        }
    }
}
