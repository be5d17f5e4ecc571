using System.Text.Encodings.Web;
using System.Text.Json;

namespace AnomalyDetection.Evaluation;

/// <summary>The results file: JSON lines, one <see cref="ResultRow"/> per line, appended to and never rewritten.</summary>
internal static class ResultsFile
{
    /// <summary>The results file of the repository, relative to its root.</summary>
    public const string DefaultPath = "benchmarks/results/results.jsonl";

    // Relaxed escaping keeps '+' and non-ASCII readable in a file people read and diff.
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One row as a single JSON line.</summary>
    public static string Serialize(ResultRow row) => JsonSerializer.Serialize(row, JsonOptions);

    /// <summary>Appends one row, creating the file and its folder when needed.</summary>
    public static void Append(string path, ResultRow row)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.AppendAllText(path, Serialize(row) + "\n");
    }

    /// <summary>Every row of the file, in order; blank lines are skipped.</summary>
    /// <exception cref="HarnessException">The file is missing or a line is not a row; the message names the line.</exception>
    public static IReadOnlyList<ResultRow> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new HarnessException($"Results file '{path}' does not exist.");
        }

        var rows = new List<ResultRow>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                rows.Add(JsonSerializer.Deserialize<ResultRow>(line, JsonOptions) ?? throw new JsonException("the line is null"));
            }
            catch (JsonException ex)
            {
                throw new HarnessException($"Line {number} of '{path}' is not a results row: {ex.Message}");
            }
        }

        return rows;
    }
}
