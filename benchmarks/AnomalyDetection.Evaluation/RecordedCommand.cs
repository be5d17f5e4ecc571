namespace AnomalyDetection.Evaluation;

/// <summary>The command line a row records to regenerate it: the harness's invocation and the arguments as typed,
/// except that the paths given to <c>--dataset</c>, <c>--results</c> and <c>--configurations</c> are written relative
/// to the current directory, the repository root the invocation runs from, so that rows name no machine's folders.</summary>
internal static class RecordedCommand
{
    /// <summary>How the harness is started from the repository root.</summary>
    public const string Invocation = "dotnet run -c Release --project benchmarks/AnomalyDetection.Evaluation --";

    private static readonly string[] PathOptions = ["--dataset", "--results", "--configurations"];

    /// <summary>The command for <paramref name="args"/>, paths relative to <paramref name="root"/>.</summary>
    public static string Of(IReadOnlyList<string> args, string root)
    {
        var written = new List<string>(args.Count + 1) { Invocation };
        for (var i = 0; i < args.Count; i++)
        {
            var split = args[i].IndexOf('=', StringComparison.Ordinal);
            if (split > 0 && PathOptions.Contains(args[i][..split], StringComparer.Ordinal))
            {
                written.Add($"{args[i][..split]}={Relative(args[i][(split + 1)..], root)}");
            }
            else if (PathOptions.Contains(args[i], StringComparer.Ordinal) && i + 1 < args.Count)
            {
                written.Add(args[i]);
                written.Add(Relative(args[++i], root));
            }
            else
            {
                written.Add(args[i]);
            }
        }

        return string.Join(" ", written);
    }

    // Forward slashes so that a row reads the same whichever system wrote it.
    private static string Relative(string path, string root) =>
        Path.GetRelativePath(root, Path.GetFullPath(path, root)).Replace('\\', '/');
}
