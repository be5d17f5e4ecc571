using System.Globalization;
using System.Text.Json;
using AnomalyDetection.Calibration;

namespace AnomalyDetection.ModelFiles;

/// <summary>
/// Reads the <c>calibration</c> section of a model file's manifest. Every value the calibration types refuse (a
/// non-finite threshold, an empty score range, an empty list of normal scores, a negative standard deviation, an
/// unknown threshold source) becomes an <see cref="InvalidModelFileException"/> naming the file and the field, so a
/// damaged or forged calibration is refused when the file is read, by every reader alike.
/// </summary>
public static class ManifestCalibration
{
    private const string ImageField = "image";
    private const string PixelField = "pixel";
    private const string PValuesField = "imagePValues";
    private const string MapBaselineField = "mapBaseline";

    /// <summary>Reads and checks a manifest's calibration section.</summary>
    /// <param name="section">The manifest's <see cref="ModelManifest.Calibration"/>.</param>
    /// <param name="sourceName">The file name or description used in error messages.</param>
    /// <returns>The calibration.</returns>
    /// <exception cref="InvalidModelFileException">The section is not an object, has no image calibration, or a value
    /// in it is out of range or malformed; the message names the field, such as <c>calibration.image.maximum</c>.</exception>
    public static DetectorCalibration Read(JsonElement section, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        if (section.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidModelFileException(sourceName, $"the manifest's 'calibration' must be a JSON object, but it is {section.ValueKind}.");
        }

        var image = ReadPart<ScoreCalibration>(section, ImageField, sourceName)
            ?? throw new InvalidModelFileException(sourceName, $"the manifest's calibration has no '{ImageField}' threshold; every fitted model has one.");
        var pixel = ReadPart<ScoreCalibration>(section, PixelField, sourceName);
        RequireKnownSource(image, ImageField, sourceName);
        if (pixel is not null)
        {
            RequireKnownSource(pixel, PixelField, sourceName);
        }

        return new DetectorCalibration(image, pixel, ReadPart<PValueModel>(section, PValuesField, sourceName), ReadPart<NormalMapBaseline>(section, MapBaselineField, sourceName));
    }

    /// <summary>One property of the section, deserialised on its own so that a failure can name it; null when the
    /// property is absent or JSON null.</summary>
    private static T? ReadPart<T>(JsonElement section, string field, string sourceName)
        where T : class
    {
        // Manifests are read case-insensitively (web defaults), so the field is matched the same way.
        var value = section.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase)).Value;
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        try
        {
            return value.Deserialize<T>(ModelFile.JsonOptions);
        }
        catch (ArgumentException ex)
        {
            // The calibration types validate in their constructors and name the offending parameter.
            var name = ex.ParamName is { Length: > 0 } parameter ? $"calibration.{field}.{parameter}" : $"calibration.{field}";
            throw new InvalidModelFileException(sourceName, $"the manifest's {name} is invalid: {Describe(ex)}", ex);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or FormatException or InvalidOperationException)
        {
            throw new InvalidModelFileException(sourceName, $"the manifest's calibration.{field} is malformed: {FirstLine(ex.Message)}", ex);
        }
    }

    private static void RequireKnownSource(ScoreCalibration calibration, string field, string sourceName)
    {
        if (!Enum.IsDefined(calibration.Source))
        {
            throw new InvalidModelFileException(sourceName,
                $"the manifest's calibration.{field}.source is invalid: {(int)calibration.Source} is not one of {string.Join(", ", Enum.GetNames<ThresholdSource>())}.");
        }
    }

    /// <summary>The exception's own sentence and the refused value, on one line (the runtime's message adds the
    /// parameter name and the value on further lines).</summary>
    private static string Describe(ArgumentException ex)
    {
        var message = FirstLine(ex.Message);
        var parameterSuffix = $" (Parameter '{ex.ParamName}')";
        if (message.EndsWith(parameterSuffix, StringComparison.Ordinal))
        {
            message = message[..^parameterSuffix.Length];
        }

        return ex is ArgumentOutOfRangeException { ActualValue: { } actual }
            ? string.Create(CultureInfo.InvariantCulture, $"{message} (was {actual})")
            : message;
    }

    private static string FirstLine(string message)
    {
        var end = message.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? message : message[..end];
    }
}
