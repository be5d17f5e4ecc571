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
        foreach (var section in builder.Configuration.GetSection("Detectors").GetChildren())
        {
            var options = section.GetSection("Options");
            _ = section["Kind"] switch
            {
                "sagan" => detectors.AddSagan(section.Key, options),
                "patchgan" => detectors.AddPatchGan(section.Key, options),
                "autoencoder" => detectors.AddAutoencoder(section.Key, options),
                var kind => throw new OptionsValidationException(section.Key, typeof(DetectorOptions),
                    [$"Detector '{section.Key}': Kind must be \"sagan\", \"patchgan\" or \"autoencoder\" but is \"{kind}\"."]),
            };
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
}
