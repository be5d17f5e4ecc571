using System.CommandLine;
using AnomalyDetection.PatchGan;
using AnomalyDetection.Sagan;
using AnomalyDetection.Sagan.Interop;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Cli.Commands;

/// <summary><c>export</c>: writes a model file's network as PyTorch state dicts (torch.save format and safetensors).</summary>
internal static class ExportCommand
{
    private const string SaganPrefix = "generator.";
    private const string PatchGanPrefix = "reconstructor.";

    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var output = new Option<string>("--output", "-o")
        {
            Description = "The files to write, without extension: <output>.pt (torch.load) and <output>.safetensors.",
            DefaultValueFactory = _ => "exported",
        };
        var command = new Command("export",
            "Write a SAGAN generator (with the SAGAN authors' parameter names) or a Patch-GAN reconstructor as a PyTorch state dict (.pt) and safetensors.")
        {
            model, output,
        };
        command.SetGuardedAction(console, async (result, cancellationToken) =>
        {
            var path = result.GetValue(model)!;
            var (manifest, weights) = await KnownDetectors.ReadAsync(path, cancellationToken);
            var stem = Path.GetFullPath(result.GetValue(output)!);
            Directory.CreateDirectory(Path.GetDirectoryName(stem)!);
            string[] written = [stem + ".pt", stem + PyTorchStateDict.SafetensorsExtension];
            string names;
            if (manifest.Kind == SaganDetector.DetectorKind)
            {
                var generator = WithPrefix(weights, SaganPrefix);
                foreach (var file in written)
                {
                    AuthorsGeneratorCheckpoint.Write(generator, file);
                }

                names = "the SAGAN generator under the authors' parameter names (with neutral running statistics), for their model.py Generator";
            }
            else if (manifest.Kind == PatchGanDetector.DetectorKind)
            {
                var reconstructor = WithPrefix(weights, PatchGanPrefix);
                foreach (var file in written)
                {
                    PyTorchStateDict.Write(reconstructor, file);
                }

                names = "the Patch-GAN reconstructor under our parameter names (those of tools/patchgan/make_component_fixtures.py's UNet)";
            }
            else
            {
                throw new CliException($"Model file '{path}' holds a '{manifest.Kind}' detector; export writes sagan and patchgan models.");
            }

            await console.Out.WriteLineAsync($"Exported {names}:");
            foreach (var file in written)
            {
                await console.Out.WriteLineAsync($"  {file}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Dictionary<string, Tensor> WithPrefix(IReadOnlyDictionary<string, Tensor> weights, string prefix)
    {
        var selected = weights
            .Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal);
        return selected.Count > 0 ? selected : throw new CliException($"The model file holds no '{prefix}' tensors.");
    }
}
