using System.Globalization;
using AnomalyDetection.Detection;

namespace AnomalyDetection.Cli;

/// <summary>
/// Saves a trained model to the path asked for; when that fails although the path was checked before training (the
/// disk filled up, the folder was removed or made read-only meanwhile), saves it to a recovery file
/// <c>&lt;name&gt;.recovered-&lt;yyyyMMdd-HHmmss&gt;</c> in the first fallback folder that takes it, so hours of training
/// are not lost, and reports both paths in one line.
/// </summary>
/// <param name="fallbackFolders">Where a recovery file may go, in order of preference.</param>
/// <param name="clock">Stamps the recovery file's name.</param>
internal sealed class ModelSaveWithFallback(IReadOnlyList<string> fallbackFolders, TimeProvider clock)
{
    /// <summary>The working folder first (where the user looks), then the temporary folder.</summary>
    public static ModelSaveWithFallback Default { get; } = new([Environment.CurrentDirectory, Path.GetTempPath()], TimeProvider.System);

    /// <summary>Saves <paramref name="model"/> to <paramref name="path"/>, or to a recovery file when that fails.</summary>
    /// <exception cref="CliException">The model could not be written to <paramref name="path"/>; the message names the
    /// recovery file it was written to instead, or says that none could be written.</exception>
    public async Task SaveAsync(IAnomalyDetector model, string path, CancellationToken cancellationToken)
    {
        try
        {
            await model.SaveAsync(path, cancellationToken);
            return;
        }
        catch (Exception ex) when (IsWriteFailure(ex))
        {
            var name = Path.GetFileName(path) is { Length: > 0 } file ? file : "model.adm";
            var stamp = clock.GetLocalNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            foreach (var folder in fallbackFolders)
            {
                var recovery = Path.Combine(folder, $"{name}.recovered-{stamp}");
                if (await TrySaveAsync(model, recovery, cancellationToken))
                {
                    throw new CliException($"Could not write the model to '{path}' ({ex.Message}); the trained model was saved to '{recovery}' instead.");
                }
            }

            throw new CliException($"Could not write the model to '{path}' ({ex.Message}), nor a recovery file in {string.Join(" or ", fallbackFolders.Select(f => $"'{f}'"))}; the trained model is lost.");
        }
    }

    private static async Task<bool> TrySaveAsync(IAnomalyDetector model, string path, CancellationToken cancellationToken)
    {
        try
        {
            await model.SaveAsync(path, cancellationToken);
            return true;
        }
        catch (Exception ex) when (IsWriteFailure(ex))
        {
            return false;
        }
    }

    private static bool IsWriteFailure(Exception ex) => ex is IOException or UnauthorizedAccessException;
}
