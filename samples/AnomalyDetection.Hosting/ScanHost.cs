using AnomalyDetection.Applications;
using AnomalyDetection.Detection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AnomalyDetection.Hosting;

/// <summary>Builds the scanning host: detectors registered by name from configuration, and the folder scanner.</summary>
internal static class ScanHost
{
    /// <summary>The registration name of the trained model read from <see cref="ScanOptions.ModelFile"/>.</summary>
    public const string ProductionDetector = "production";

    /// <summary>A host builder configured from appsettings.json, the environment and <paramref name="args"/>
    /// (for example <c>--Scan:InputFolder=/data/xrays</c>).</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <exception cref="OptionsValidationException">A detector in the "Detectors" section names no known kind.</exception>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            // appsettings.json sits beside the program, wherever it is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });

        var detectors = builder.Services.AddAnomalyDetection();
        foreach (var descriptor in BuiltInDetectors.Catalog.Descriptors)
        {
            // Every known kind, so that the model file below loads whichever kind it holds.
            detectors.AddDetectorKind(descriptor);
        }

        foreach (var section in builder.Configuration.GetSection("Detectors").GetChildren())
        {
            var kind = section["Kind"];
            var descriptor = BuiltInDetectors.Catalog.Find(kind) ?? throw new OptionsValidationException(section.Key, typeof(DetectorOptions),
                [$"Detector '{section.Key}': Kind must be {KindChoices()} but is \"{kind}\"."]);
            detectors.AddDetector(descriptor, section.Key, section.GetSection("Options"));
        }

        // The model file is registered only once it exists; until then the scanner trains and writes it.
        var modelFile = builder.Configuration[$"{ScanOptions.SectionName}:{nameof(ScanOptions.ModelFile)}"];
        if (!string.IsNullOrWhiteSpace(modelFile) && File.Exists(modelFile))
        {
            detectors.FromFile(ProductionDetector, modelFile);
        }

        builder.Services.AddOptions<ScanOptions>()
            .BindConfiguration(ScanOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Also resolvable as itself, so that the program can read how the scan ended.
        builder.Services.AddSingleton<FolderScanner>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FolderScanner>());
        return builder;
    }

    /// <summary>The known kinds quoted for a message: <c>"sagan", "patchgan" or "autoencoder"</c>.</summary>
    private static string KindChoices()
    {
        var quoted = BuiltInDetectors.Catalog.Kinds.Select(k => $"\"{k}\"").ToList();
        return quoted.Count == 1 ? quoted[0] : string.Join(", ", quoted[..^1]) + " or " + quoted[^1];
    }
}
