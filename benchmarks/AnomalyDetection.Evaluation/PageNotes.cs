namespace AnomalyDetection.Evaluation;

/// <summary>
/// The hand-written text around the benchmark tables, read from a Markdown file whose <c>## key</c> headings name the
/// sections: <c>intro</c> (the top of the page), <c>budget</c> (above the budget table), one per data set folder name
/// (above its table) and <c>closing</c> (the end of the page). Missing sections are left out.
/// </summary>
internal sealed class PageNotes
{
    /// <summary>The notes file of the repository, relative to its root.</summary>
    public const string DefaultPath = "benchmarks/results/notes.md";

    private readonly Dictionary<string, string> _sections;

    private PageNotes(Dictionary<string, string> sections) => _sections = sections;

    /// <summary>Notes without any section.</summary>
    public static PageNotes Empty { get; } = new([]);

    /// <summary>Splits Markdown into sections at lines starting with <c>## </c>; text before the first heading is ignored.</summary>
    public static PageNotes Parse(string markdown)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? key = null;
        var lines = new List<string>();
        void Close()
        {
            if (key is not null)
            {
                sections[key] = string.Join("\n", lines).Trim();
            }
        }

        foreach (var line in markdown.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                Close();
                key = line[3..].Trim();
                lines.Clear();
            }
            else
            {
                lines.Add(line);
            }
        }

        Close();
        return new PageNotes(sections);
    }

    /// <summary>Reads the notes file, or <see cref="Empty"/> when it does not exist.</summary>
    public static PageNotes Load(string path) => File.Exists(path) ? Parse(File.ReadAllText(path)) : Empty;

    /// <summary>The section's text, or null when it is missing or empty.</summary>
    public string? Section(string key) => _sections.TryGetValue(key, out var text) && text.Length > 0 ? text : null;
}
