using System.Globalization;
using System.Reflection;
using AnomalyDetection.Autoencoder;
using AnomalyDetection.Calibration;
using AnomalyDetection.Detection;
using AnomalyDetection.PatchGan;
using AnomalyDetection.Sagan;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>Keeps docs/configuration.md in step with the options classes: every settable option and its default.</summary>
public class ConfigurationReferenceTests
{
    public static TheoryData<string> Sections => new() { nameof(DetectorOptions), nameof(CalibrationOptions), nameof(SaganOptions), nameof(PatchGanOptions), nameof(AutoencoderOptions) };

    [Theory]
    [MemberData(nameof(Sections))]
    public void ConfigurationReference_ListsEveryOptionWithItsDefault(string section)
    {
        var (type, instance) = section switch
        {
            nameof(DetectorOptions) => (typeof(DetectorOptions), (object)new SaganOptions()),
            nameof(CalibrationOptions) => (typeof(CalibrationOptions), new CalibrationOptions()),
            nameof(SaganOptions) => (typeof(SaganOptions), new SaganOptions()),
            nameof(PatchGanOptions) => (typeof(PatchGanOptions), new PatchGanOptions()),
            _ => (typeof(AutoencoderOptions), new AutoencoderOptions()),
        };
        var document = File.ReadAllText(FindDocument());
        var missing = type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(p => p.SetMethod is { IsPublic: true })
            .Select(p => $"| `{p.Name}` | {Format(p.GetValue(instance))} |")
            .Where(row => !document.Contains(row, StringComparison.Ordinal))
            .ToList();

        Assert.True(missing.Count == 0, "docs/configuration.md lacks these rows (option and default):\n" + string.Join("\n", missing));
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string text => text,
        Enum e => e.ToString(),
        double d => d.ToString("0.##########", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => "see below",
    };

    private static string FindDocument()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "docs", "configuration.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/configuration.md was not found above " + AppContext.BaseDirectory);
    }
}
